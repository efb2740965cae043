// OpenSSL algorithms fetched from the default provider once per process. The EVP_sha1()-style
// getters make every EVP_*Init_ex fetch the algorithm again (a locked lookup and allocations),
// which cost more than the work itself for what verify does per record or per file: a fileID's
// SHA-1 (0.58 -> 0.17 us), a file key's unwrap, a blob's last-block decrypt.
#pragma once

#include <openssl/evp.h>

namespace bkcheck::detail {

const EVP_MD* sha1_method();
const EVP_MD* sha256_method();
const EVP_CIPHER* aes_256_cbc_method();
const EVP_CIPHER* aes_256_wrap_method();

}  // namespace bkcheck::detail
