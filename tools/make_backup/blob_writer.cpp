// Blobs: each regular file's content as stored (format.md §1.3): plaintext, or AES-256-CBC with a
// per-file key wrapped by its class key (§5.5). The Digest is the SHA-1 of the bytes on disk (§11).
#include "writer_steps.h"

#include "random.h"

#include <array>
#include <system_error>

namespace bkcheck::testgen {
namespace {

// Creates the two-hex blob folders on first use only, as real backups have only those in use (§1.3).
class BlobFolders {
public:
    explicit BlobFolders(const fs::path& dir) : m_dir(dir) {}

    Status ensure(const std::string& file_id)
    {
        auto prefix = from_hex(file_id.substr(0, 2));
        if (!prefix || prefix->size() != 1) return make_error(ErrorCode::Internal, file_id, "not a fileID");
        std::size_t slot = (*prefix)[0];
        if (m_made[slot]) return Ok{};
        std::error_code ec;
        fs::create_directory(m_dir / file_id.substr(0, 2), ec);
        if (ec) return make_error(ErrorCode::Io, (m_dir / file_id.substr(0, 2)).string(), ec.message());
        m_made[slot] = true;
        return Ok{};
    }

private:
    fs::path m_dir;
    std::array<bool, 256> m_made{};
};

}  // namespace

Status write_blobs(WriteContext& context)
{
    const BackupSpec& spec = context.spec;
    BlobFolders folders(context.dir);
    for (FileRecord& record : context.records) {
        if (record.kind != FileKind::File) continue;
        Bytes stored = make_content(record, spec.seed);
        if (spec.encrypted) {
            Rng rng = Rng::derive(spec.seed, "file-key:" + record.file_id);
            Bytes file_key = rng.bytes(32);
            auto wrapped = wrap_with_class(context.keys, record.protection_class, file_key);
            if (!wrapped) return std::move(wrapped).error();
            record.encryption_key = std::move(*wrapped);
            auto cipher = aes_cbc_encrypt(file_key, stored);
            if (!cipher) return std::move(cipher).error();
            stored = std::move(*cipher);
        }
        if (domain_has_digests(record.domain)) {
            Sha1Digest digest = sha1(stored);
            record.digest.assign(digest.begin(), digest.end());
        }
        if (!spec.write_blobs) continue;
        if (spec.format == IndexFormat::ManifestDb) BK_TRY(folders.ensure(record.file_id));
        BK_TRY(write_file(context.dir / blob_relative_path(spec.format, record.file_id), stored));
    }
    return Ok{};
}

}  // namespace bkcheck::testgen
