#include "encrypt_writer.h"

#include "random.h"

#include <openssl/evp.h>

#include <memory>

namespace bkcheck::testgen {
namespace {

struct CipherCtxDeleter {
    void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

Error crypto_error(const char* what)
{
    return make_error(ErrorCode::Internal, {}, std::string("OpenSSL ") + what + " failed");
}

// One EVP pass over `input`: encrypt or decrypt, with or without padding, optional wrap mode.
Result<Bytes> run_cipher(const EVP_CIPHER* cipher, ByteView key, ByteView input, bool encrypt,
                         bool wrap_mode)
{
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    if (!ctx) return crypto_error("EVP_CIPHER_CTX_new");
    if (wrap_mode) EVP_CIPHER_CTX_set_flags(ctx.get(), EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    static const unsigned char k_zero_iv[16] = {};
    const unsigned char* iv =
        wrap_mode ? nullptr : k_zero_iv;  // NULL = RFC 3394 default IV A6A6...
    if (key.size() != 32)
        return make_error(ErrorCode::InvalidArgument, {}, "AES-256 needs a 32-byte key");
    if (EVP_CipherInit_ex(ctx.get(), cipher, nullptr, key.data(), iv, encrypt ? 1 : 0) != 1) {
        return crypto_error("EVP_CipherInit_ex");
    }
    Bytes out(input.size() + 32);
    int written = 0;
    if (EVP_CipherUpdate(ctx.get(), out.data(), &written, input.data(),
                         static_cast<int>(input.size())) != 1) {
        return make_error(
            ErrorCode::Corrupt, {},
            wrap_mode ? "AES key unwrap integrity check failed" : "AES-CBC update failed");
    }
    int final_written = 0;
    if (EVP_CipherFinal_ex(ctx.get(), out.data() + written, &final_written) != 1) {
        return make_error(
            ErrorCode::Corrupt, {},
            wrap_mode ? "AES key unwrap integrity check failed" : "bad PKCS#7 padding");
    }
    out.resize(static_cast<std::size_t>(written + final_written));
    return out;
}

void put_u32_be(Bytes& out, std::uint32_t value)
{
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(value >> shift));
}

void put_tag(Bytes& out, const char (&tag)[5], ByteView value)
{
    out.insert(out.end(), tag, tag + 4);
    put_u32_be(out, static_cast<std::uint32_t>(value.size()));
    out.insert(out.end(), value.begin(), value.end());
}

void put_int_tag(Bytes& out, const char (&tag)[5], std::uint32_t value)
{
    Bytes be;
    put_u32_be(be, value);
    put_tag(out, tag, be);
}

}  // namespace

Result<Bytes> pbkdf2(ByteView password, ByteView salt, std::uint32_t iterations, bool sha256)
{
    Bytes out(32);
    if (PKCS5_PBKDF2_HMAC(
            reinterpret_cast<const char*>(password.data()), static_cast<int>(password.size()),
            salt.data(), static_cast<int>(salt.size()), static_cast<int>(iterations),
            sha256 ? EVP_sha256() : EVP_sha1(), static_cast<int>(out.size()), out.data()) != 1) {
        return crypto_error("PKCS5_PBKDF2_HMAC");
    }
    return out;
}

Result<Bytes> aes_key_wrap(ByteView kek, ByteView key)
{
    return run_cipher(EVP_aes_256_wrap(), kek, key, true, true);
}

Result<Bytes> aes_key_unwrap(ByteView kek, ByteView wrapped)
{
    return run_cipher(EVP_aes_256_wrap(), kek, wrapped, false, true);
}

Result<Bytes> aes_cbc_encrypt(ByteView key, ByteView plaintext)
{
    return run_cipher(EVP_aes_256_cbc(), key, plaintext, true, false);
}

Result<Bytes> aes_cbc_decrypt(ByteView key, ByteView ciphertext)
{
    return run_cipher(EVP_aes_256_cbc(), key, ciphertext, false, false);
}

Result<BackupKeys> make_keybag(const KeybagOptions& options, Rng& rng)
{
    Bytes salt = rng.bytes(20);
    Bytes dp_salt = rng.bytes(20);
    Bytes passcode_key;
    if (options.two_stage) {
        auto stage1 = pbkdf2(as_bytes(options.password), dp_salt, options.dp_iterations, true);
        if (!stage1) return std::move(stage1).error();
        auto stage2 = pbkdf2(*stage1, salt, options.iterations, false);
        if (!stage2) return std::move(stage2).error();
        passcode_key = std::move(*stage2);
    } else {
        auto key = pbkdf2(as_bytes(options.password), salt, options.iterations, false);
        if (!key) return std::move(key).error();
        passcode_key = std::move(*key);
    }

    BackupKeys keys;
    Bytes& out = keys.keybag;
    put_int_tag(out, "VERS", 5);
    put_int_tag(out, "TYPE", 1);  // backup keybag
    put_tag(out, "UUID", rng.bytes(16));
    put_tag(out, "HMCK", Bytes(40, 0));  // unused in backup keybags
    put_int_tag(out, "WRAP", 0);
    put_tag(out, "SALT", salt);
    put_int_tag(out, "ITER", options.iterations);
    if (options.two_stage) {
        put_int_tag(out, "DPWT", 1);
        put_int_tag(out, "DPIC", options.dp_iterations);
        put_tag(out, "DPSL", dp_salt);
    }
    for (std::uint32_t clas = 1; clas <= 11; ++clas) {
        keys.class_keys[clas] = rng.bytes(32);
        auto wrapped = aes_key_wrap(passcode_key, keys.class_keys[clas]);
        if (!wrapped) return std::move(wrapped).error();
        // Classes 5 and 9-11 are ...ThisDeviceOnly: passcode- and device-wrapped (WRAP 3); a host
        // can never unwrap them fully, which is why no backed-up file uses them (§5.3).
        bool device_only = clas == 5 || clas >= 9;
        put_tag(out, "UUID", rng.bytes(16));
        put_int_tag(out, "CLAS", clas);
        put_int_tag(out, "WRAP", device_only ? 3 : 2);
        put_int_tag(out, "KTYP", 0);
        put_tag(out, "WPKY", *wrapped);
    }
    return keys;
}

Result<Bytes> wrap_with_class(const BackupKeys& keys, std::uint32_t protection_class, ByteView key)
{
    if (protection_class == 0 || protection_class >= keys.class_keys.size()) {
        return make_error(ErrorCode::InvalidArgument, {},
                          "no class key for class " + std::to_string(protection_class));
    }
    auto wrapped = aes_key_wrap(keys.class_keys[protection_class], key);
    if (!wrapped) return std::move(wrapped).error();
    Bytes out;
    for (int shift = 0; shift < 32; shift += 8)
        out.push_back(static_cast<std::uint8_t>(protection_class >> shift));
    out.insert(out.end(), wrapped->begin(), wrapped->end());
    return out;
}

}  // namespace bkcheck::testgen
