// SHA-256 through OpenSSL, for evidence digests (PBKDF2's own SHA-256 is in pbkdf2.cpp).
#include "crypto.h"
#include "openssl_methods.h"

#include <openssl/evp.h>

#include <cassert>

namespace bkcheck {

struct Sha256Hasher::Context {
    EVP_MD_CTX* md = EVP_MD_CTX_new();
};

Sha256Hasher::Sha256Hasher() : m_context(new Context)
{
    // Only allocation can fail here; SHA-256 is always available in OpenSSL 3's default provider.
    [[maybe_unused]] int ok = EVP_DigestInit_ex(m_context->md, detail::sha256_method(), nullptr);
    assert(ok == 1);
}

Sha256Hasher::~Sha256Hasher()
{
    EVP_MD_CTX_free(m_context->md);
    delete m_context;
}

void Sha256Hasher::update(ByteView bytes)
{
    EVP_DigestUpdate(m_context->md, bytes.data(), bytes.size());
}

Sha256Digest Sha256Hasher::finish()
{
    Sha256Digest digest;
    unsigned int length = 0;
    EVP_DigestFinal_ex(m_context->md, digest.data(), &length);
    EVP_DigestInit_ex(m_context->md, nullptr, nullptr);  // the same method again
    return digest;
}

Sha256Digest sha256(ByteView bytes)
{
    Sha256Hasher hasher;
    hasher.update(bytes);
    return hasher.finish();
}

}  // namespace bkcheck
