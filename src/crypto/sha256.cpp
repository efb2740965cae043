// SHA-256 through OpenSSL, for evidence digests (PBKDF2's own SHA-256 is in pbkdf2.cpp).
#include "crypto.h"
#include "evp_digest.h"
#include "openssl_methods.h"

namespace bkcheck {

struct Sha256Hasher::Context {
    detail::EvpDigest digest{detail::sha256_method()};
};

Sha256Hasher::Sha256Hasher() : m_context(new Context) {}

Sha256Hasher::~Sha256Hasher()
{
    delete m_context;
}

void Sha256Hasher::update(ByteView bytes)
{
    m_context->digest.update(bytes);
}

Sha256Digest Sha256Hasher::finish()
{
    Sha256Digest digest;
    m_context->digest.finish(digest.data());
    return digest;
}

Sha256Digest sha256(ByteView bytes)
{
    Sha256Hasher hasher;
    hasher.update(bytes);
    return hasher.finish();
}

}  // namespace bkcheck
