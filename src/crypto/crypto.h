// The ciphers of encrypted backups (format.md §5.3-5.5), as thin RAII wrappers over OpenSSL:
// RFC 3394 AES key wrap for class, file and Manifest keys, and AES-256-CBC with a zero IV and
// PKCS#7 padding for blobs and Manifest.db. Padding is checked here, not by OpenSSL, so that "bad
// padding" (damaged content) is told apart from every other failure.
#pragma once

#include "bkcheck/status.h"
#include "bytes.h"

#include <array>
#include <memory>
#include <optional>

namespace bkcheck {

// RFC 3394 with the default IV; kek is 32 bytes. Unwrap returns nullopt when the integrity check
// fails (wrong key, or damaged wrapped bytes).
std::optional<SecretBytes> aes_key_unwrap(ByteView kek, ByteView wrapped);
Bytes aes_key_wrap(ByteView kek, ByteView key);

enum class PaddingStatus { Valid, Invalid };

// Decrypts AES-256-CBC (zero IV) as a stream: feed any chunk sizes, then finish() checks the PKCS#7
// padding of the last block and tells how many bytes of plaintext there were. Reusable: reset() for
// the next blob keeps the OpenSSL context.
class CbcDecryptor {
public:
    CbcDecryptor();
    ~CbcDecryptor();
    CbcDecryptor(const CbcDecryptor&) = delete;
    CbcDecryptor& operator=(const CbcDecryptor&) = delete;

    void reset(ByteView key);
    // Decrypts `input`, appending plaintext to `output` (cleared first). The last block is held
    // back until finish(), since only it carries the padding.
    void update(ByteView input, Bytes& output);
    struct Final {
        PaddingStatus padding;
        std::uint64_t plaintext_size;  // all bytes fed minus the padding (when valid)
        Bytes tail;                    // the last block's plaintext without its padding
    };
    // Invalid when the total was not a non-zero multiple of 16 or the padding bytes are wrong.
    Final finish();

private:
    struct State;
    std::unique_ptr<State> m_state;
};

// What CbcDecryptor::finish() would say about a stream, found by decrypting its last block only. In
// CBC the last plaintext block is AES-decrypt(C[n]) XOR C[n-1]: a check that needs only the padding
// and the plaintext length (verify drops every other plaintext byte unread) can skip the AES work
// on everything before it. update() keeps the last two ciphertext blocks seen; finish() decrypts
// one.
class CbcFinalBlock {
public:
    CbcFinalBlock();
    ~CbcFinalBlock();
    CbcFinalBlock(const CbcFinalBlock&) = delete;
    CbcFinalBlock& operator=(const CbcFinalBlock&) = delete;

    void reset(ByteView key);
    void update(ByteView input);
    // The same Final as CbcDecryptor::finish() for the same key and bytes.
    CbcDecryptor::Final finish();

private:
    struct State;
    std::unique_ptr<State> m_state;
};

// Whole-buffer decrypt and unpad (Manifest.db); nullopt when the padding is invalid.
std::optional<Bytes> aes_cbc_decrypt(ByteView key, ByteView ciphertext);
// Encrypt with PKCS#7 padding (always adds 1-16 bytes, as Apple's encryptor does, format.md §8).
Bytes aes_cbc_encrypt(ByteView key, ByteView plaintext);

// SHA-1 of the bytes (sha1.cpp).
Sha1Digest sha1(ByteView bytes);

// Incremental SHA-1 for streaming a blob through a reused buffer.
class Sha1Hasher {
public:
    Sha1Hasher();
    ~Sha1Hasher();
    Sha1Hasher(const Sha1Hasher&) = delete;
    Sha1Hasher& operator=(const Sha1Hasher&) = delete;

    void update(ByteView bytes);
    Sha1Digest finish();  // also resets, so the hasher can be reused for the next blob

private:
    struct Context;
    Context* m_context;
};

using Sha256Digest = std::array<std::uint8_t, 32>;

// Incremental SHA-256 (sha256.cpp): the evidence digests of verify --report and of the hash lists
// extract and export write, computed as the bytes stream past, never by reading a file again.
class Sha256Hasher {
public:
    Sha256Hasher();
    ~Sha256Hasher();
    Sha256Hasher(const Sha256Hasher&) = delete;
    Sha256Hasher& operator=(const Sha256Hasher&) = delete;

    void update(ByteView bytes);
    Sha256Digest finish();  // also resets, so the hasher can be reused for the next file

private:
    struct Context;
    Context* m_context;
};

Sha256Digest sha256(ByteView bytes);

}  // namespace bkcheck
