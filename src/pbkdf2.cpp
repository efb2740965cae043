// For now both stages use OpenSSL; the 10,000,000-round SHA-256 stage is what a faster
// implementation must beat (see tools/bench/bench_pbkdf2.cpp).
#include "bkcheck/pbkdf2.h"

#include <openssl/evp.h>

namespace bkcheck {
namespace {

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

SecretBytes pbkdf2_hmac_sha256(ByteView password, ByteView salt, std::uint32_t iterations, std::size_t length)
{
    return openssl_pbkdf2(EVP_sha256(), password, salt, iterations, length);
}

SecretBytes pbkdf2_hmac_sha1(ByteView password, ByteView salt, std::uint32_t iterations, std::size_t length)
{
    return openssl_pbkdf2(EVP_sha1(), password, salt, iterations, length);
}

}  // namespace bkcheck
