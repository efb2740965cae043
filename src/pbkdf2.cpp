// PBKDF2-HMAC-SHA256 with the HMAC inner and outer states computed once: each iteration is then two
// compressions of fixed, pre-padded 64-byte blocks (SHA-NI when the CPU has it). OpenSSL's
// PKCS5_PBKDF2_HMAC goes through the generic HMAC API each iteration; for the 10,000,000 rounds of
// an iOS >= 10.2 keybag that overhead is most of the unlock time (tools/bench/bench_pbkdf2.cpp).
// The SHA-1 stage (10,000 rounds) is cheap and stays on OpenSSL.
#include "bkcheck/pbkdf2.h"

#include "internal/sha256_block.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <cstring>

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
State finish_hash(State state, Sha256Compress compress, ByteView message, std::uint64_t prefix_bytes)
{
    std::size_t at = 0;
    for (; message.size() - at >= k_block; at += k_block) compress(state.data(), message.data() + at);
    std::uint8_t last[2 * k_block] = {};
    std::size_t rest = message.size() - at;
    std::memcpy(last, message.data() + at, rest);
    last[rest] = 0x80;
    std::size_t blocks = rest + 9 > k_block ? 2 : 1;
    std::uint64_t bits = (prefix_bytes + message.size()) * 8;
    for (int i = 0; i < 8; ++i) last[blocks * k_block - 1 - i] = static_cast<std::uint8_t>(bits >> (8 * i));
    for (std::size_t b = 0; b < blocks; ++b) compress(state.data(), last + b * k_block);
    OPENSSL_cleanse(last, sizeof last);
    return state;
}

// A 64-byte block holding a 32-byte digest, padded for a message of 64 + 32 bytes (key block + digest).
struct DigestBlock {
    std::uint8_t bytes[k_block] = {};
    DigestBlock()
    {
        bytes[k_digest] = 0x80;
        std::uint64_t bits = (k_block + k_digest) * 8;
        for (int i = 0; i < 8; ++i) bytes[k_block - 1 - i] = static_cast<std::uint8_t>(bits >> (8 * i));
    }
};

SecretBytes pbkdf2_sha256_fast(ByteView password, ByteView salt, std::uint32_t iterations, std::size_t length,
                               Sha256Compress compress)
{
    // HMAC key: hashed first when longer than a block (RFC 2104).
    State initial;
    std::copy(std::begin(k_sha256_initial), std::end(k_sha256_initial), initial.begin());
    std::uint8_t key[k_block] = {};
    if (password.size() > k_block) {
        store_be(key, finish_hash(initial, compress, password, 0));
    } else {
        std::memcpy(key, password.data(), password.size());
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
    for (std::uint32_t index = 1; (index - 1) * k_digest < length; ++index) {
        for (int i = 0; i < 4; ++i) salt_and_index[salt.size() + static_cast<std::size_t>(i)] =
                                        static_cast<std::uint8_t>(index >> (24 - 8 * i));
        // U1 = HMAC(password, salt || INT(index))
        State u_state = finish_hash(inner, compress, salt_and_index, k_block);
        store_be(block.bytes, u_state);
        u_state = outer;
        compress(u_state.data(), block.bytes);
        State t = u_state;
        // U2..Uc: exactly two compressions each.
        if (compress == detail::sha256_compress_sha_ni) {
            detail::sha256_sha_ni_pbkdf2_rounds(inner.data(), outer.data(), u_state.data(), t.data(), iterations - 1);
        } else {
            for (std::uint32_t round = 1; round < iterations; ++round) {
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
    }
    OPENSSL_cleanse(block.bytes, sizeof block.bytes);
    return SecretBytes(std::move(out));
}

SecretBytes openssl_pbkdf2(const EVP_MD* digest, ByteView password, ByteView salt, std::uint32_t iterations,
                           std::size_t length)
{
    Bytes out(length);
    PKCS5_PBKDF2_HMAC(reinterpret_cast<const char*>(password.data()), static_cast<int>(password.size()), salt.data(),
                      static_cast<int>(salt.size()), static_cast<int>(iterations), digest, static_cast<int>(length),
                      out.data());
    return SecretBytes(std::move(out));
}

}  // namespace

SecretBytes pbkdf2_hmac_sha256(ByteView password, ByteView salt, std::uint32_t iterations, std::size_t length,
                               Pbkdf2Engine engine)
{
    switch (engine) {
    case Pbkdf2Engine::Best:
        // Without SHA-NI, OpenSSL's assembly SHA-256 beats our portable compression (bench_pbkdf2:
        // portable 2.1x OpenSSL's time), so the portable engine serves tests and other CPUs' checks.
        if (!detail::sha256_has_sha_ni()) break;
        return pbkdf2_sha256_fast(password, salt, iterations, length, detail::sha256_compress_sha_ni);
    case Pbkdf2Engine::Portable:
        return pbkdf2_sha256_fast(password, salt, iterations, length, detail::sha256_compress_portable);
    case Pbkdf2Engine::OpenSsl: break;
    }
    return openssl_pbkdf2(EVP_sha256(), password, salt, iterations, length);
}

SecretBytes pbkdf2_hmac_sha1(ByteView password, ByteView salt, std::uint32_t iterations, std::size_t length)
{
    return openssl_pbkdf2(EVP_sha1(), password, salt, iterations, length);
}

bool pbkdf2_uses_sha_ni()
{
    return detail::sha256_has_sha_ni();
}

}  // namespace bkcheck
