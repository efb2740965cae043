#include "openssl_methods.h"

namespace bkcheck::detail {

// Never freed: they live as long as the process, like the provider they come from.

const EVP_MD* sha1_method()
{
    static EVP_MD* const method = EVP_MD_fetch(nullptr, "SHA1", nullptr);
    return method;
}

const EVP_MD* sha256_method()
{
    static EVP_MD* const method = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return method;
}

const EVP_CIPHER* aes_256_cbc_method()
{
    static EVP_CIPHER* const method = EVP_CIPHER_fetch(nullptr, "AES-256-CBC", nullptr);
    return method;
}

const EVP_CIPHER* aes_256_wrap_method()
{
    static EVP_CIPHER* const method = EVP_CIPHER_fetch(nullptr, "AES-256-WRAP", nullptr);
    return method;
}

}  // namespace bkcheck::detail
