// The SHA-256 compression function alone (FIPS 180-4 §6.2.2), for PBKDF2: with the HMAC inner and
// outer states computed once, each PBKDF2 iteration is exactly two compressions of fixed, pre-padded
// blocks, which OpenSSL's generic HMAC API cannot express.
#pragma once

#include <cstddef>
#include <cstdint>

namespace bkcheck::detail {

using Sha256Compress = void (*)(std::uint32_t state[8], const std::uint8_t block[64]);

void sha256_compress_portable(std::uint32_t state[8], const std::uint8_t block[64]);
// Intel SHA extensions; only call when sha256_has_sha_ni().
void sha256_compress_sha_ni(std::uint32_t state[8], const std::uint8_t block[64]);
bool sha256_has_sha_ni();

// The fastest compression this CPU supports.
Sha256Compress sha256_best_compress();

}  // namespace bkcheck::detail
