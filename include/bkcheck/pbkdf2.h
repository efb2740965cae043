// PBKDF2 (RFC 8018) with HMAC-SHA256 and HMAC-SHA1, the two stages of the backup password derivation
// (format.md §5.2). Bit-identical to OpenSSL's PKCS5_PBKDF2_HMAC; the SHA-256 stage has its own
// implementation because its 10,000,000 rounds dominate unlock time.
#pragma once

#include "bkcheck/bytes.h"
#include "bkcheck/crypto.h"

namespace bkcheck {

enum class Pbkdf2Engine {
    Best,      // our implementation on SHA-NI when the CPU has it, else OpenSSL
    Portable,  // our implementation, plain C++ compression (for tests and benchmarks)
    OpenSsl,   // PKCS5_PBKDF2_HMAC (the reference)
};

SecretBytes pbkdf2_hmac_sha256(ByteView password, ByteView salt, std::uint32_t iterations, std::size_t length,
                               Pbkdf2Engine engine = Pbkdf2Engine::Best);
SecretBytes pbkdf2_hmac_sha1(ByteView password, ByteView salt, std::uint32_t iterations, std::size_t length);

// Whether Pbkdf2Engine::Best runs on SHA-NI on this machine.
bool pbkdf2_uses_sha_ni();

}  // namespace bkcheck
