#include "evp_digest.h"

#include <cassert>

namespace bkcheck::detail {

EvpDigest::EvpDigest(const EVP_MD* method) : m_md(EVP_MD_CTX_new())
{
    // Only allocation can fail here; SHA-1 and SHA-256 are always in OpenSSL 3's default provider.
    [[maybe_unused]] int ok = EVP_DigestInit_ex(m_md, method, nullptr);
    assert(ok == 1);
}

EvpDigest::~EvpDigest()
{
    EVP_MD_CTX_free(m_md);
}

void EvpDigest::update(ByteView bytes)
{
    EVP_DigestUpdate(m_md, bytes.data(), bytes.size());
}

void EvpDigest::finish(std::uint8_t* out)
{
    unsigned int length = 0;
    EVP_DigestFinal_ex(m_md, out, &length);
    EVP_DigestInit_ex(m_md, nullptr, nullptr);  // the same method again
}

}  // namespace bkcheck::detail
