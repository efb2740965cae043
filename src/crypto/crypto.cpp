#include "crypto.h"
#include "openssl_methods.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cassert>

namespace bkcheck {
namespace {

constexpr std::size_t k_block = 16;

struct ContextFree {
    void operator()(EVP_CIPHER_CTX* context) const { EVP_CIPHER_CTX_free(context); }
};
using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, ContextFree>;

// Runs a one-shot EVP cipher; nullopt when OpenSSL rejects (for unwrap: the integrity check
// failed).
std::optional<Bytes> run_cipher(const EVP_CIPHER* cipher, bool encrypt, ByteView key,
                                ByteView input, bool padding)
{
    CipherContext context(EVP_CIPHER_CTX_new());
    if (!context) return std::nullopt;
    EVP_CIPHER_CTX_set_flags(context.get(), EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    static const std::uint8_t k_zero_iv[k_block] = {};
    const std::uint8_t* iv =
        EVP_CIPHER_get_mode(cipher) == EVP_CIPH_WRAP_MODE ? nullptr : k_zero_iv;
    if (EVP_CipherInit_ex(context.get(), cipher, nullptr, key.data(), iv, encrypt ? 1 : 0) != 1)
        return std::nullopt;
    EVP_CIPHER_CTX_set_padding(context.get(), padding ? 1 : 0);
    Bytes output(input.size() + 2 * k_block);
    int written = 0;
    int final_written = 0;
    if (EVP_CipherUpdate(context.get(), output.data(), &written, input.data(),
                         static_cast<int>(input.size())) != 1 ||
        EVP_CipherFinal_ex(context.get(), output.data() + written, &final_written) != 1) {
        OPENSSL_cleanse(output.data(), output.size());
        return std::nullopt;
    }
    output.resize(static_cast<std::size_t>(written + final_written));
    return output;
}

// Length of valid PKCS#7 padding at the end of a decrypted last block, or 0 when invalid.
std::size_t padding_length(const std::uint8_t* block)
{
    std::uint8_t n = block[k_block - 1];
    if (n == 0 || n > k_block) return 0;
    for (std::size_t i = k_block - n; i < k_block; ++i) {
        if (block[i] != n) return 0;
    }
    return n;
}

// Sets `context` up for AES-256-CBC decryption with `key` and a zero IV, padding left to us; false
// when the key is not 32 bytes or OpenSSL refuses.
bool start_cbc_decrypt(EVP_CIPHER_CTX* context, ByteView key)
{
    static const std::uint8_t k_zero_iv[k_block] = {};
    if (key.size() != 32 || EVP_DecryptInit_ex(context, detail::aes_256_cbc_method(), nullptr,
                                               key.data(), k_zero_iv) != 1) {
        return false;
    }
    EVP_CIPHER_CTX_set_padding(context, 0);
    return true;
}

// The Final of a stream of `total` bytes whose last block decrypted to `block`; wipes `block`.
CbcDecryptor::Final final_of(std::uint8_t* block, std::uint64_t total)
{
    CbcDecryptor::Final result{PaddingStatus::Invalid, total, {}};
    std::size_t padding = padding_length(block);
    if (padding != 0) {
        result.padding = PaddingStatus::Valid;
        result.plaintext_size = total - padding;
        result.tail.assign(block, block + k_block - padding);
    }
    OPENSSL_cleanse(block, k_block);
    return result;
}

}  // namespace

std::optional<SecretBytes> aes_key_unwrap(ByteView kek, ByteView wrapped)
{
    if (kek.size() != 32 || wrapped.size() < 24 || wrapped.size() % 8 != 0) return std::nullopt;
    auto key = run_cipher(detail::aes_256_wrap_method(), false, kek, wrapped, false);
    if (!key) return std::nullopt;
    return SecretBytes(std::move(*key));
}

Bytes aes_key_wrap(ByteView kek, ByteView key)
{
    assert(kek.size() == 32 && key.size() % 8 == 0);
    return run_cipher(detail::aes_256_wrap_method(), true, kek, key, false).value_or(Bytes());
}

std::optional<Bytes> aes_cbc_decrypt(ByteView key, ByteView ciphertext)
{
    if (key.size() != 32 || ciphertext.empty() || ciphertext.size() % k_block != 0)
        return std::nullopt;
    auto plaintext = run_cipher(detail::aes_256_cbc_method(), false, key, ciphertext, false);
    if (!plaintext) return std::nullopt;
    std::size_t padding = padding_length(plaintext->data() + plaintext->size() - k_block);
    if (padding == 0) return std::nullopt;
    plaintext->resize(plaintext->size() - padding);
    return plaintext;
}

Bytes aes_cbc_encrypt(ByteView key, ByteView plaintext)
{
    assert(key.size() == 32);
    return run_cipher(detail::aes_256_cbc_method(), true, key, plaintext, true).value_or(Bytes());
}

struct CbcDecryptor::State {
    CipherContext context{EVP_CIPHER_CTX_new()};
    std::uint8_t held[k_block] =
        {};  // ciphertext bytes not yet a whole block, or the held-back last block
    std::size_t held_size = 0;
    std::uint64_t total = 0;
    bool ready = false;
};

CbcDecryptor::CbcDecryptor() : m_state(std::make_unique<State>()) {}

CbcDecryptor::~CbcDecryptor() = default;

void CbcDecryptor::reset(ByteView key)
{
    m_state->held_size = 0;
    m_state->total = 0;
    m_state->ready = start_cbc_decrypt(m_state->context.get(), key);
}

void CbcDecryptor::update(ByteView input, Bytes& output)
{
    output.clear();
    State& state = *m_state;
    state.total += input.size();
    if (!state.ready) return;
    // Keep the last (possibly partial) block out of OpenSSL until we know whether more follows.
    std::size_t available = state.held_size + input.size();
    if (available <= k_block) {
        std::copy(input.begin(), input.end(), state.held + state.held_size);
        state.held_size = available;
        return;
    }
    std::size_t keep = available % k_block == 0 ? k_block : available % k_block;
    std::size_t feed = available - keep;
    output.resize(feed + k_block);
    int written = 0;
    int total_written = 0;
    std::size_t from_input = feed - state.held_size;
    if (state.held_size > 0) {
        EVP_DecryptUpdate(state.context.get(), output.data(), &written, state.held,
                          static_cast<int>(state.held_size));
        total_written += written;
    }
    EVP_DecryptUpdate(state.context.get(), output.data() + total_written, &written, input.data(),
                      static_cast<int>(from_input));
    total_written += written;
    output.resize(static_cast<std::size_t>(total_written));
    std::copy(input.begin() + static_cast<long>(from_input), input.end(), state.held);
    state.held_size = keep;
}

CbcDecryptor::Final CbcDecryptor::finish()
{
    State& state = *m_state;
    Final result{PaddingStatus::Invalid, state.total, {}};
    if (!state.ready || state.total == 0 || state.total % k_block != 0 ||
        state.held_size != k_block)
        return result;
    std::uint8_t block[2 * k_block] = {};
    int written = 0;
    EVP_DecryptUpdate(state.context.get(), block, &written, state.held, static_cast<int>(k_block));
    if (written != static_cast<int>(k_block)) return result;
    return final_of(block, state.total);
}

struct CbcFinalBlock::State {
    CipherContext context{EVP_CIPHER_CTX_new()};
    std::uint8_t last[2 * k_block] = {};  // the last min(total, 32) ciphertext bytes, at the end
    std::uint64_t total = 0;
    bool ready = false;
};

CbcFinalBlock::CbcFinalBlock() : m_state(std::make_unique<State>()) {}

CbcFinalBlock::~CbcFinalBlock() = default;

void CbcFinalBlock::reset(ByteView key)
{
    m_state->total = 0;
    m_state->ready = start_cbc_decrypt(m_state->context.get(), key);
}

void CbcFinalBlock::update(ByteView input)
{
    State& state = *m_state;
    constexpr std::size_t k_kept = sizeof state.last;
    state.total += input.size();
    if (input.size() >= k_kept) {
        std::copy(input.end() - k_kept, input.end(), state.last);
    } else {
        // Slide the window left by input.size() bytes and append the input.
        std::copy(state.last + input.size(), state.last + k_kept, state.last);
        std::copy(input.begin(), input.end(), state.last + k_kept - input.size());
    }
}

CbcDecryptor::Final CbcFinalBlock::finish()
{
    State& state = *m_state;
    CbcDecryptor::Final result{PaddingStatus::Invalid, state.total, {}};
    if (!state.ready || state.total == 0 || state.total % k_block != 0) return result;
    // The block before the last is its IV; the first block's IV is the stream's (zero) one.
    static const std::uint8_t k_zero_iv[k_block] = {};
    const std::uint8_t* iv = state.total == k_block ? k_zero_iv : state.last;
    std::uint8_t block[2 * k_block] = {};
    int written = 0;
    if (EVP_DecryptInit_ex(state.context.get(), nullptr, nullptr, nullptr, iv) != 1 ||
        EVP_DecryptUpdate(state.context.get(), block, &written, state.last + k_block,
                          static_cast<int>(k_block)) != 1 ||
        written != static_cast<int>(k_block)) {
        return result;
    }
    return final_of(block, state.total);
}

}  // namespace bkcheck
