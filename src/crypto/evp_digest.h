// One reusable OpenSSL digest context: what Sha1Hasher and Sha256Hasher (crypto.h) are made of.
#pragma once

#include "bytes.h"

#include <openssl/evp.h>

#include <cstdint>

namespace bkcheck::detail {

class EvpDigest {
public:
    explicit EvpDigest(const EVP_MD* method);
    ~EvpDigest();
    EvpDigest(const EvpDigest&) = delete;
    EvpDigest& operator=(const EvpDigest&) = delete;

    void update(ByteView bytes);
    // Writes the digest (EVP_MD_size bytes) to `out` and starts over with the same method, so the
    // context serves the next blob or file.
    void finish(std::uint8_t* out);

private:
    EVP_MD_CTX* m_md;
};

}  // namespace bkcheck::detail
