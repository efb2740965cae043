// SHA-1 through OpenSSL: blob digests (format.md §3.3) and fileIDs. In the crypto layer, not with
// the byte helpers, because it needs OpenSSL.
#include "crypto.h"
#include "evp_digest.h"
#include "openssl_methods.h"

namespace bkcheck {

struct Sha1Hasher::Context {
    detail::EvpDigest digest{detail::sha1_method()};
};

Sha1Hasher::Sha1Hasher() : m_context(new Context) {}

Sha1Hasher::~Sha1Hasher()
{
    delete m_context;
}

void Sha1Hasher::update(ByteView bytes)
{
    m_context->digest.update(bytes);
}

Sha1Digest Sha1Hasher::finish()
{
    Sha1Digest digest;
    m_context->digest.finish(digest.data());
    return digest;
}

Sha1Digest sha1(ByteView bytes)
{
    Sha1Hasher hasher;
    hasher.update(bytes);
    return hasher.finish();
}

}  // namespace bkcheck
