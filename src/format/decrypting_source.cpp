#include "decrypting_source.h"
#include "bkcheck/path_text.h"
#include "openssl_methods.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace bkcheck::detail {

namespace {

constexpr std::size_t k_block = 16;

class DecryptingSource final : public DatabaseSource {
public:
    DecryptingSource(std::unique_ptr<RandomAccessReader> reader, ByteView key, bool rollback_header)
        : m_reader(std::move(reader)), m_key(key), m_rollback_header(rollback_header)
    {
    }
    ~DecryptingSource() override
    {
        EVP_CIPHER_CTX_free(m_context);
        OPENSSL_cleanse(m_buffer.data(), m_buffer.size());
    }
    DecryptingSource(const DecryptingSource&) = delete;
    DecryptingSource& operator=(const DecryptingSource&) = delete;

    // Checks the length and the padding, which gives the plaintext size.
    Status open(const fs::path& path)
    {
        std::uint64_t cipher_size = m_reader->size();
        if (cipher_size == 0 || cipher_size % k_block != 0 || m_context == nullptr ||
            EVP_DecryptInit_ex(m_context, detail::aes_256_cbc_method(), nullptr,
                               m_key.view().data(), nullptr) != 1) {
            return make_error(ErrorCode::Corrupt, path_text(path),
                              "does not decrypt (its length is not whole AES blocks)");
        }
        EVP_CIPHER_CTX_set_padding(m_context, 0);
        // The padding is in the last block: it gives the plaintext size, and checks the key and
        // the end.
        std::uint8_t last[k_block];
        Status read = decrypt(last, k_block, cipher_size - k_block);
        if (!read) {
            return make_error(ErrorCode::Io, path_text(path),
                              "cannot be read: " + read.error().message);
        }
        std::uint8_t padding = last[k_block - 1];
        bool valid = padding >= 1 && padding <= k_block &&
                     std::all_of(last + k_block - padding, last + k_block,
                                 [&](std::uint8_t b) { return b == padding; });
        OPENSSL_cleanse(last, sizeof last);
        if (!valid) {
            return make_error(ErrorCode::Corrupt, path_text(path),
                              "does not decrypt (its padding is invalid): the file is "
                              "damaged or truncated");
        }
        m_plain_size = cipher_size - padding;
        return Ok{};
    }

    std::uint64_t size() const override { return m_plain_size; }

    bool read(std::uint8_t* out, std::size_t size, std::uint64_t offset) override
    {
        if (!decrypt(out, size, offset)) return false;
        if (!m_rollback_header) return true;
        // Apple's index is in WAL mode; read as a rollback-journal database it needs no -wal.
        for (std::uint64_t header_byte : {18u, 19u}) {
            if (header_byte >= offset && header_byte < offset + size) out[header_byte - offset] = 1;
        }
        return true;
    }

private:
    // Decrypts plaintext [offset, offset + size) into `out`.
    Status decrypt(std::uint8_t* out, std::size_t size, std::uint64_t offset)
    {
        std::uint64_t first = offset / k_block;
        std::uint64_t last = (offset + size - 1) / k_block;           // inclusive
        std::uint64_t from = first == 0 ? 0 : (first - 1) * k_block;  // one block more: the IV
        std::size_t length = static_cast<std::size_t>((last + 1) * k_block - from);
        m_buffer.resize(length);
        auto count = m_reader->read_at(from, std::span<std::uint8_t>(m_buffer.data(), length));
        if (!count) return std::move(count).error();
        if (*count != length)
            return make_error(ErrorCode::Io, "", "the file is shorter than it was");
        std::uint8_t iv[k_block] = {};
        const std::uint8_t* cipher = m_buffer.data();
        if (first != 0) {
            std::memcpy(iv, cipher, k_block);
            cipher += k_block;
            length -= k_block;
        }
        int written = 0;
        if (EVP_DecryptInit_ex(m_context, nullptr, nullptr, nullptr, iv) != 1 ||
            EVP_DecryptUpdate(m_context, m_buffer.data(), &written, cipher,
                              static_cast<int>(length)) != 1) {
            return make_error(ErrorCode::Internal, "", "the decryption failed");
        }
        std::memcpy(out, m_buffer.data() + (offset - first * k_block), size);
        return Ok{};
    }

    std::unique_ptr<RandomAccessReader> m_reader;
    SecretBytes m_key;
    bool m_rollback_header;
    std::uint64_t m_plain_size = 0;
    EVP_CIPHER_CTX* m_context = EVP_CIPHER_CTX_new();
    std::vector<std::uint8_t> m_buffer;  // ciphertext, then plaintext, of one read
};

}  // namespace

Result<std::unique_ptr<DatabaseSource>> decrypting_source(const FileSystem& file_system,
                                                          const fs::path& path, ByteView key,
                                                          bool rollback_header)
{
    auto reader = file_system.open_random_access(path);
    if (!reader) return std::move(reader).error();
    auto source = std::make_unique<DecryptingSource>(std::move(*reader), key, rollback_header);
    BK_TRY(source->open(path));
    return std::unique_ptr<DatabaseSource>(std::move(source));
}

}  // namespace bkcheck::detail
