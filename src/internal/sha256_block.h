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

// PBKDF2-HMAC-SHA256 rounds on SHA-NI with everything in registers: `rounds` times,
// u = HMAC(u) from the precomputed inner/outer states, and t ^= u. u and t are digest words.
void sha256_sha_ni_pbkdf2_rounds(const std::uint32_t inner[8], const std::uint32_t outer[8], std::uint32_t u[8],
                                 std::uint32_t t[8], std::uint32_t rounds);

}  // namespace bkcheck::detail
