// Blobs: each regular file's content as stored (format.md §1.3): plaintext, or AES-256-CBC with a
// per-file key wrapped by its class key (§5.5). The Digest is the SHA-1 of the bytes on disk (§11).
#include "bytes.h"
#include "writer_steps.h"

#include "crypto.h"

#include "random.h"

#include <algorithm>
#include <array>
#include <optional>
#include <system_error>
#include <thread>

namespace bkcheck::testgen {
namespace {

// Creates the two-hex blob folders on first use only, as real backups have only those in use
// (§1.3).
class BlobFolders {
public:
    explicit BlobFolders(const fs::path& dir) : m_dir(dir) {}

    Status ensure(const std::string& file_id)
    {
        auto prefix = from_hex(file_id.substr(0, 2));
        if (!prefix || prefix->size() != 1)
            return make_error(ErrorCode::Internal, file_id, "not a fileID");
        std::size_t slot = (*prefix)[0];
        if (m_made[slot]) return Ok{};
        std::error_code ec;
        fs::create_directory(m_dir / file_id.substr(0, 2), ec);
        if (ec)
            return make_error(ErrorCode::Io, (m_dir / file_id.substr(0, 2)).string(), ec.message());
        m_made[slot] = true;
        return Ok{};
    }

private:
    fs::path m_dir;
    std::array<bool, 256> m_made{};
};

Status write_one_blob(const WriteContext& context, FileRecord& record)
{
    const BackupSpec& spec = context.spec;
    Bytes stored;
    auto chosen = std::find_if(spec.chosen_files.begin(), spec.chosen_files.end(),
                               [&](const BackupSpec::ChosenFile& file) {
                                   return file.domain == record.domain &&
                                          file.relative_path == record.relative_path;
                               });
    stored = chosen != spec.chosen_files.end() ? chosen->content : make_content(record, spec.seed);
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
    if (!spec.write_blobs) return Ok{};
    return write_file(context.dir / blob_relative_path(spec.format, record.file_id).value(),
                      stored);
}

}  // namespace

Status write_blobs(WriteContext& context)
{
    const BackupSpec& spec = context.spec;
    if (spec.write_blobs && spec.format == IndexFormat::ManifestDb) {
        BlobFolders folders(context.dir);
        for (const FileRecord& record : context.records) {
            if (record.kind == FileKind::File) BK_TRY(folders.ensure(record.file_id));
        }
    }
    // Creating a million small files is the slow part of a benchmark-sized backup; records are
    // independent (each has its own key and content streams), so threads split them by position.
    unsigned thread_count = std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
    if (context.records.size() < 1000) thread_count = 1;
    std::vector<std::optional<Error>> errors(thread_count);
    auto worker = [&](unsigned index) {
        for (std::size_t i = index; i < context.records.size(); i += thread_count) {
            FileRecord& record = context.records[i];
            if (record.kind != FileKind::File) continue;
            Status written = write_one_blob(context, record);
            if (!written) {
                errors[index] = written.error();
                return;
            }
        }
    };
    std::vector<std::thread> threads;
    for (unsigned i = 1; i < thread_count; ++i) threads.emplace_back(worker, i);
    worker(0);
    for (std::thread& thread : threads) thread.join();
    for (const std::optional<Error>& error : errors) {
        if (error) return *error;
    }
    return Ok{};
}

}  // namespace bkcheck::testgen
