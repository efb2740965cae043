// PBKDF2-HMAC-SHA256 with the HMAC inner and outer states computed once: each iteration is then two
// compressions of fixed, pre-padded 64-byte blocks (SHA-NI when the CPU has it). OpenSSL's
// PKCS5_PBKDF2_HMAC goes through the generic HMAC API each iteration; for the 10,000,000 rounds of
// an iOS >= 10.2 keybag that overhead is most of the unlock time (tools/bench/bench_pbkdf2.cpp).
// The SHA-1 stage (10,000 rounds) is cheap and stays on OpenSSL. Every engine can be cancelled
// between chunks of k_pbkdf2_cancel_rounds rounds (Ctrl-C during a 10^8-round keybag).
#include "pbkdf2.h"

#include "sha256_block.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>

namespace bkcheck {
namespace {

using detail::Sha256Compress;

constexpr std::uint32_t k_sha256_initial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
constexpr std::size_t k_block = 64;
constexpr std::size_t k_digest = 32;

using State = std::array<std::uint32_t, 8>;

void store_be(std::uint8_t* out, const State& state)
{
    for (int i = 0; i < 8; ++i) {
        out[4 * i] = static_cast<std::uint8_t>(state[i] >> 24);
        out[4 * i + 1] = static_cast<std::uint8_t>(state[i] >> 16);
        out[4 * i + 2] = static_cast<std::uint8_t>(state[i] >> 8);
        out[4 * i + 3] = static_cast<std::uint8_t>(state[i]);
    }
}

// Hashes `message` after `prefix_blocks` already-compressed blocks, from `state`: the tail of an
// HMAC whose key block is folded into `state`.
State finish_hash(State state, Sha256Compress compress, ByteView message,
                  std::uint64_t prefix_bytes)
{
    std::size_t at = 0;
    for (; message.size() - at >= k_block; at += k_block)
        compress(state.data(), message.data() + at);
    std::uint8_t last[2 * k_block] = {};
    std::size_t rest = message.size() - at;
    if (rest != 0)
        std::memcpy(last, message.data() + at, rest);  // an empty message may have no data()
    last[rest] = 0x80;
    std::size_t blocks = rest + 9 > k_block ? 2 : 1;
    std::uint64_t bits = (prefix_bytes + message.size()) * 8;
    for (int i = 0; i < 8; ++i)
        last[blocks * k_block - 1 - i] = static_cast<std::uint8_t>(bits >> (8 * i));
    for (std::size_t b = 0; b < blocks; ++b) compress(state.data(), last + b * k_block);
    OPENSSL_cleanse(last, sizeof last);
    return state;
}

// A 64-byte block holding a 32-byte digest, padded for a message of 64 + 32 bytes (key block +
// digest).
struct DigestBlock {
    std::uint8_t bytes[k_block] = {};
    DigestBlock()
    {
        bytes[k_digest] = 0x80;
        std::uint64_t bits = (k_block + k_digest) * 8;
        for (int i = 0; i < 8; ++i)
            bytes[k_block - 1 - i] = static_cast<std::uint8_t>(bits >> (8 * i));
    }
};

bool cancelled(const std::atomic<bool>* cancel)
{
    return cancel != nullptr && cancel->load(std::memory_order_relaxed);
}

Error derivation_interrupted()
{
    return make_error(ErrorCode::Interrupted, "", "the key derivation was interrupted");
}

Result<SecretBytes> pbkdf2_sha256_fast(ByteView password, ByteView salt, std::uint32_t iterations,
                                       std::size_t length, Sha256Compress compress,
                                       const std::atomic<bool>* cancel)
{
    // HMAC key: hashed first when longer than a block (RFC 2104).
    State initial;
    std::copy(std::begin(k_sha256_initial), std::end(k_sha256_initial), initial.begin());
    std::uint8_t key[k_block] = {};
    if (password.size() > k_block) {
        store_be(key, finish_hash(initial, compress, password, 0));
    } else {
        if (!password.empty())
            std::memcpy(key, password.data(), password.size());  // data() may be null
    }
    State inner = initial;
    State outer = initial;
    std::uint8_t pad[k_block];
    for (std::size_t i = 0; i < k_block; ++i) pad[i] = key[i] ^ 0x36;
    compress(inner.data(), pad);
    for (std::size_t i = 0; i < k_block; ++i) pad[i] = key[i] ^ 0x5c;
    compress(outer.data(), pad);
    OPENSSL_cleanse(key, sizeof key);
    OPENSSL_cleanse(pad, sizeof pad);

    Bytes out(length);
    Bytes salt_and_index(salt.begin(), salt.end());
    salt_and_index.resize(salt.size() + 4);
    DigestBlock block;
    bool stopped = false;
    for (std::uint32_t index = 1; (index - 1) * k_digest < length; ++index) {
        for (int i = 0; i < 4; ++i)
            salt_and_index[salt.size() + static_cast<std::size_t>(i)] =
                static_cast<std::uint8_t>(index >> (24 - 8 * i));
        // U1 = HMAC(password, salt || INT(index))
        State u_state = finish_hash(inner, compress, salt_and_index, k_block);
        store_be(block.bytes, u_state);
        u_state = outer;
        compress(u_state.data(), block.bytes);
        State t = u_state;
        // U2..Uc: exactly two compressions each, in chunks between which the cancel flag is read
        // (the SHA-NI loop keeps u and t in registers within a chunk; a chunk boundary costs a
        // store and a load).
        for (std::uint32_t left = iterations > 1 ? iterations - 1 : 0; left > 0;) {
            if (cancelled(cancel)) {
                stopped = true;
                break;
            }
            std::uint32_t chunk = std::min(left, k_pbkdf2_cancel_rounds);
            left -= chunk;
            if (compress == detail::sha256_compress_sha_ni) {
                detail::sha256_sha_ni_pbkdf2_rounds(inner.data(), outer.data(), u_state.data(),
                                                    t.data(), chunk);
                continue;
            }
            for (std::uint32_t round = 0; round < chunk; ++round) {
                store_be(block.bytes, u_state);
                u_state = inner;
                compress(u_state.data(), block.bytes);
                store_be(block.bytes, u_state);
                u_state = outer;
                compress(u_state.data(), block.bytes);
                for (int i = 0; i < 8; ++i) t[i] ^= u_state[i];
            }
        }
        std::uint8_t t_bytes[k_digest];
        store_be(t_bytes, t);
        std::size_t offset = (index - 1) * k_digest;
        std::memcpy(out.data() + offset, t_bytes, std::min(k_digest, length - offset));
        OPENSSL_cleanse(t_bytes, sizeof t_bytes);
        OPENSSL_cleanse(t.data(), sizeof t);
        OPENSSL_cleanse(u_state.data(), sizeof u_state);
        if (stopped) break;
    }
    OPENSSL_cleanse(block.bytes, sizeof block.bytes);
    OPENSSL_cleanse(inner.data(), sizeof inner);
    OPENSSL_cleanse(outer.data(), sizeof outer);
    if (stopped) {
        OPENSSL_cleanse(out.data(), out.size());
        return derivation_interrupted();
    }
    return SecretBytes(std::move(out));
}

struct MdContextFree {
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
using MdContext = std::unique_ptr<EVP_MD_CTX, MdContextFree>;

// PBKDF2 (RFC 8018 §5.2) over any OpenSSL digest, as PKCS5_PBKDF2_HMAC computes it but in rounds
// this code controls: the HMAC inner and outer key blocks are absorbed once into template contexts,
// and each HMAC is then a context copy, the message and a final, twice. Fewer context copies than
// OpenSSL's own loop, and the cancel flag is read every k_pbkdf2_cancel_rounds rounds.
Result<SecretBytes> evp_pbkdf2(const EVP_MD* digest, ByteView password, ByteView salt,
                               std::uint32_t iterations, std::size_t length,
                               const std::atomic<bool>* cancel)
{
    const auto block_size = static_cast<std::size_t>(EVP_MD_get_block_size(digest));
    const auto digest_size = static_cast<std::size_t>(EVP_MD_get_size(digest));
    constexpr std::size_t k_max_block = 128;  // SHA-512's; SHA-1 and SHA-256 use 64
    if (block_size > k_max_block || digest_size > EVP_MAX_MD_SIZE || iterations == 0) {
        return make_error(ErrorCode::Internal, "", "PBKDF2: unsupported digest or no iterations");
    }
    MdContext inner(EVP_MD_CTX_new()), outer(EVP_MD_CTX_new()), work(EVP_MD_CTX_new());
    if (!inner || !outer || !work)
        return make_error(ErrorCode::Internal, "", "PBKDF2: out of memory");
    auto fail = [] {
        return make_error(ErrorCode::Internal, "", "PBKDF2: an OpenSSL digest call failed");
    };

    std::uint8_t key[k_max_block] = {};
    unsigned key_length = 0;
    if (password.size() > block_size) {
        if (EVP_Digest(password.data(), password.size(), key, &key_length, digest, nullptr) != 1)
            return fail();
    } else {
        if (!password.empty())
            std::memcpy(key, password.data(), password.size());  // data() may be null
    }
    std::uint8_t pad[k_max_block];
    for (std::size_t i = 0; i < block_size; ++i) pad[i] = key[i] ^ 0x36;
    bool keyed = EVP_DigestInit_ex(inner.get(), digest, nullptr) == 1 &&
                 EVP_DigestUpdate(inner.get(), pad, block_size) == 1;
    for (std::size_t i = 0; i < block_size; ++i) pad[i] = key[i] ^ 0x5c;
    keyed = keyed && EVP_DigestInit_ex(outer.get(), digest, nullptr) == 1 &&
            EVP_DigestUpdate(outer.get(), pad, block_size) == 1;
    OPENSSL_cleanse(key, sizeof key);
    OPENSSL_cleanse(pad, sizeof pad);
    if (!keyed) return fail();

    // u = HMAC(message): inner hash of the message, then the outer hash of that.
    std::uint8_t u[EVP_MAX_MD_SIZE];
    auto hmac = [&](const std::uint8_t* message, std::size_t size) {
        return EVP_MD_CTX_copy_ex(work.get(), inner.get()) == 1 &&
               EVP_DigestUpdate(work.get(), message, size) == 1 &&
               EVP_DigestFinal_ex(work.get(), u, nullptr) == 1 &&
               EVP_MD_CTX_copy_ex(work.get(), outer.get()) == 1 &&
               EVP_DigestUpdate(work.get(), u, digest_size) == 1 &&
               EVP_DigestFinal_ex(work.get(), u, nullptr) == 1;
    };
    Bytes out(length);
    Bytes salt_and_index(salt.begin(), salt.end());
    salt_and_index.resize(salt.size() + 4);
    std::uint8_t t[EVP_MAX_MD_SIZE];
    bool ok = true, stopped = false;
    for (std::uint32_t index = 1; ok && !stopped && (index - 1) * digest_size < length; ++index) {
        for (int i = 0; i < 4; ++i) {
            salt_and_index[salt.size() + static_cast<std::size_t>(i)] =
                static_cast<std::uint8_t>(index >> (24 - 8 * i));
        }
        ok = hmac(salt_and_index.data(), salt_and_index.size());
        std::memcpy(t, u, digest_size);
        for (std::uint32_t round = 1; ok && round < iterations; ++round) {
            if (round % k_pbkdf2_cancel_rounds == 0 && cancelled(cancel)) {
                stopped = true;
                break;
            }
            ok = hmac(u, digest_size);
            for (std::size_t i = 0; i < digest_size; ++i) t[i] ^= u[i];
        }
        std::size_t offset = (index - 1) * digest_size;
        std::memcpy(out.data() + offset, t, std::min(digest_size, length - offset));
    }
    OPENSSL_cleanse(u, sizeof u);
    OPENSSL_cleanse(t, sizeof t);
    if (!ok || stopped) {
        OPENSSL_cleanse(out.data(), out.size());
        return stopped ? derivation_interrupted() : fail();
    }
    return SecretBytes(std::move(out));
}

SecretBytes openssl_pbkdf2(const EVP_MD* digest, ByteView password, ByteView salt,
                           std::uint32_t iterations, std::size_t length)
{
    Bytes out(length);
    PKCS5_PBKDF2_HMAC(reinterpret_cast<const char*>(password.data()),
                      static_cast<int>(password.size()), salt.data(), static_cast<int>(salt.size()),
                      static_cast<int>(iterations), digest, static_cast<int>(length), out.data());
    return SecretBytes(std::move(out));
}

}  // namespace

SecretBytes pbkdf2_hmac_sha256(ByteView password, ByteView salt, std::uint32_t iterations,
                               std::size_t length, Pbkdf2Engine engine)
{
    // Without a cancel flag the OpenSSL engine stays PKCS5_PBKDF2_HMAC itself: the reference.
    if (engine == Pbkdf2Engine::OpenSsl ||
        (engine == Pbkdf2Engine::Best && !detail::sha256_has_sha_ni())) {
        return openssl_pbkdf2(EVP_sha256(), password, salt, iterations, length);
    }
    return std::move(pbkdf2_hmac_sha256(password, salt, iterations, length, nullptr, engine))
        .value();
}

SecretBytes pbkdf2_hmac_sha1(ByteView password, ByteView salt, std::uint32_t iterations,
                             std::size_t length)
{
    return openssl_pbkdf2(EVP_sha1(), password, salt, iterations, length);
}

Result<SecretBytes> pbkdf2_hmac_sha256(ByteView password, ByteView salt, std::uint32_t iterations,
                                       std::size_t length, const std::atomic<bool>* cancel,
                                       Pbkdf2Engine engine)
{
    switch (engine) {
        case Pbkdf2Engine::Best:
            // Without SHA-NI, OpenSSL's assembly SHA-256 beats our portable compression
            // (bench_pbkdf2: portable 2.1x OpenSSL's time), so the portable engine serves tests and
            // other CPUs' checks.
            if (!detail::sha256_has_sha_ni()) break;
            return pbkdf2_sha256_fast(password, salt, iterations, length,
                                      detail::sha256_compress_sha_ni, cancel);
        case Pbkdf2Engine::Portable:
            return pbkdf2_sha256_fast(password, salt, iterations, length,
                                      detail::sha256_compress_portable, cancel);
        case Pbkdf2Engine::OpenSsl:
            break;
    }
    return evp_pbkdf2(EVP_sha256(), password, salt, iterations, length, cancel);
}

Result<SecretBytes> pbkdf2_hmac_sha1(ByteView password, ByteView salt, std::uint32_t iterations,
                                     std::size_t length, const std::atomic<bool>* cancel)
{
    return evp_pbkdf2(EVP_sha1(), password, salt, iterations, length, cancel);
}

bool pbkdf2_uses_sha_ni()
{
    return detail::sha256_has_sha_ni();
}

}  // namespace bkcheck
