// PBKDF2 (RFC 8018) with HMAC-SHA256 and HMAC-SHA1, the two stages of the backup password
// derivation (format.md §5.2). Bit-identical to OpenSSL's PKCS5_PBKDF2_HMAC; the SHA-256 stage has
// its own implementation because its 10,000,000 rounds dominate unlock time.
#pragma once

#include "bkcheck/status.h"
#include "bytes.h"
#include "crypto.h"

#include <atomic>

namespace bkcheck {

enum class Pbkdf2Engine {
    Best,      // our implementation on SHA-NI when the CPU has it, else OpenSSL
    Portable,  // our implementation, plain C++ compression (for tests and benchmarks)
    OpenSsl,   // PKCS5_PBKDF2_HMAC (the reference)
};

SecretBytes pbkdf2_hmac_sha256(ByteView password, ByteView salt, std::uint32_t iterations,
                               std::size_t length, Pbkdf2Engine engine = Pbkdf2Engine::Best);
SecretBytes pbkdf2_hmac_sha1(ByteView password, ByteView salt, std::uint32_t iterations,
                             std::size_t length);

// How often a cancellable derivation looks at its flag: every 4,096 rounds, a fraction of a
// millisecond with SHA-NI and a few milliseconds through OpenSSL, so Ctrl-C stops even 10^8 rounds
// at once.
inline constexpr std::uint32_t k_pbkdf2_cancel_rounds = 4096;

// The same derivations, stopping (Interrupted) within k_pbkdf2_cancel_rounds rounds of `*cancel`
// becoming true; a null `cancel` runs to the end. The SHA-256 engines keep their speed (the SHA-NI
// loop runs in chunks). OpenSSL's PKCS5_PBKDF2_HMAC cannot be stopped, so the OpenSSL engine and
// the SHA-1 stage run the same HMAC rounds through EVP digest contexts copied from the precomputed
// key blocks, checking the flag between chunks (bit-identical; tests/unit/crypto/test_pbkdf2.cpp).
Result<SecretBytes> pbkdf2_hmac_sha256(ByteView password, ByteView salt, std::uint32_t iterations,
                                       std::size_t length, const std::atomic<bool>* cancel,
                                       Pbkdf2Engine engine = Pbkdf2Engine::Best);
Result<SecretBytes> pbkdf2_hmac_sha1(ByteView password, ByteView salt, std::uint32_t iterations,
                                     std::size_t length, const std::atomic<bool>* cancel);

// Whether Pbkdf2Engine::Best runs on SHA-NI on this machine.
bool pbkdf2_uses_sha_ni();

}  // namespace bkcheck
