// The writer side of backup encryption (format.md §5), with OpenSSL 3 EVP calls made here and not
// borrowed from the library, so tests that decrypt generated backups check the reader against an
// independent implementation: keybag TLV (§5.1), passcode key (§5.2), RFC 3394 class-key and
// file-key wrapping (§5.3-5.5), AES-256-CBC zero-IV blobs with PKCS#7 padding (§5.5).
#pragma once

#include "bkcheck/status.h"
#include "bytes.h"

#include <array>
#include <cstdint>
#include <string_view>

namespace bkcheck::testgen {

class Rng;

// PBKDF2-HMAC with SHA-1 (sha256 = false) or SHA-256, 32-byte output.
Result<Bytes> pbkdf2(ByteView password, ByteView salt, std::uint32_t iterations, bool sha256);

// RFC 3394 AES key wrap / unwrap with the default IV; 32-byte KEK. Unwrap fails (Corrupt) when the
// integrity check does, which is how a wrong password shows.
Result<Bytes> aes_key_wrap(ByteView kek, ByteView key);
Result<Bytes> aes_key_unwrap(ByteView kek, ByteView wrapped);

// AES-256-CBC, IV = 16 zero bytes, PKCS#7 padding (ciphertext = 16 * (n / 16 + 1) bytes).
Result<Bytes> aes_cbc_encrypt(ByteView key, ByteView plaintext);
Result<Bytes> aes_cbc_decrypt(ByteView key, ByteView ciphertext);

struct KeybagOptions {
    std::string_view password;
    std::uint32_t iterations = 10;      // ITER
    std::uint32_t dp_iterations = 100;  // DPIC
    bool two_stage = true;  // iOS >= 10.2: DPWT/DPIC/DPSL present, SHA-256 stage first (§5.2)
};

// A BackupKeyBag and the class keys it wraps (index = protection class 1-11; [0] unused).
struct BackupKeys {
    Bytes keybag;
    std::array<Bytes, 12> class_keys;
};

// Header VERS 5, TYPE 1, UUID, HMCK zeros, WRAP 0, SALT, ITER [, DPWT 1, DPIC, DPSL], then classes
// 1-11 with UUID, CLAS, WRAP (2 for 1-4 and 6-8, 3 for 5 and 9-11), KTYP 0, WPKY.
Result<BackupKeys> make_keybag(const KeybagOptions& options, Rng& rng);

// 44-byte EncryptionKey / ManifestKey: u32 little-endian class then the 40-byte wrapped key.
Result<Bytes> wrap_with_class(const BackupKeys& keys, std::uint32_t protection_class, ByteView key);

}  // namespace bkcheck::testgen
