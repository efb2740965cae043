// PBKDF2 (RFC 8018) with HMAC-SHA256 and HMAC-SHA1, the two stages of the backup password derivation
// (format.md §5.2). Bit-identical to OpenSSL's PKCS5_PBKDF2_HMAC.
#pragma once

#include "bkcheck/bytes.h"
#include "bkcheck/crypto.h"

namespace bkcheck {

SecretBytes pbkdf2_hmac_sha256(ByteView password, ByteView salt, std::uint32_t iterations, std::size_t length);
SecretBytes pbkdf2_hmac_sha1(ByteView password, ByteView salt, std::uint32_t iterations, std::size_t length);

}  // namespace bkcheck
