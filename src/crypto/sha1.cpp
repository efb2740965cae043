// SHA-1 through OpenSSL: blob digests (format.md §3.3) and fileIDs. In the crypto layer, not with
// the byte helpers, because it needs OpenSSL.
#include "crypto.h"
#include "openssl_methods.h"

#include <openssl/evp.h>

#include <cassert>

namespace bkcheck {

struct Sha1Hasher::Context {
    EVP_MD_CTX* md = EVP_MD_CTX_new();
};

Sha1Hasher::Sha1Hasher() : m_context(new Context)
{
    // Only allocation can fail here; SHA1 is always available in OpenSSL 3's default provider.
    [[maybe_unused]] int ok = EVP_DigestInit_ex(m_context->md, detail::sha1_method(), nullptr);
    assert(ok == 1);
}

Sha1Hasher::~Sha1Hasher()
{
    EVP_MD_CTX_free(m_context->md);
    delete m_context;
}

void Sha1Hasher::update(ByteView bytes)
{
    EVP_DigestUpdate(m_context->md, bytes.data(), bytes.size());
}

Sha1Digest Sha1Hasher::finish()
{
    Sha1Digest digest;
    unsigned int length = 0;
    EVP_DigestFinal_ex(m_context->md, digest.data(), &length);
    EVP_DigestInit_ex(m_context->md, nullptr, nullptr);  // the same method again
    return digest;
}

Sha1Digest sha1(ByteView bytes)
{
    Sha1Hasher hasher;
    hasher.update(bytes);
    return hasher.finish();
}

}  // namespace bkcheck
