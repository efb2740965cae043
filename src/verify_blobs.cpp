// Blob step of verify: presence, placement and length of every file's blob and, with read_data, its
// SHA-1 against the record's Digest (format.md §6), in parallel with one reused buffer per thread so
// memory stays bounded whatever the backup's size. Then orphans: blobs no record names.
#include "verify_steps.h"

#include "bkcheck/crypto.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <unordered_set>

namespace bkcheck::detail {
namespace {

constexpr std::size_t k_read_buffer_bytes = 1 << 20;

// Encrypted blobs are AES-CBC with PKCS#7 padding: always 1-16 bytes longer than the plaintext (§5.5).
std::uint64_t stored_length(std::uint64_t plaintext_size, bool encrypted)
{
    return encrypted ? 16 * (plaintext_size / 16 + 1) : plaintext_size;
}

class BlobChecker {
public:
    BlobChecker(const FileSystem& file_system, const Backup& backup, const BlobTree& tree, const ClassKeys* keys,
                SealRecorder* seal, FindingSink& sink, Progress& progress)
        : m_file_system(file_system), m_backup(backup), m_tree(tree), m_keys(keys), m_seal(seal), m_sink(sink),
          m_progress(progress)
    {
    }

    // What one worker thread reuses from blob to blob, so memory stays bounded.
    struct Buffers {
        Bytes read = Bytes(k_read_buffer_bytes);
        Bytes plaintext;
        Sha1Hasher hasher;
        CbcDecryptor decryptor;
        Xxh128Hasher seal_hasher;
    };

    void check(const BlobJob& job, Buffers& buffers)
    {
        const FileRecord& record = *job.record;
        auto report = [&](std::string_view code, std::string message) {
            m_sink.add(make_finding(code, std::move(message), record.file_id, record.domain, record.relative_path));
        };
        std::string expected = blob_relative_path(
            m_backup.format == BackupFormat::ManifestMbdb ? IndexFormat::ManifestMbdb : IndexFormat::ManifestDb,
            record.file_id);
        std::string expected_folder = m_backup.format == BackupFormat::ManifestMbdb ? "" : record.file_id.substr(0, 2);
        auto found = m_tree.blobs.find(record.file_id);
        bool in_place = found != m_tree.blobs.end() &&
                        std::find(found->second.begin(), found->second.end(), expected_folder) != found->second.end();
        if (!in_place) {
            if (found == m_tree.blobs.end()) {
                report("blob.missing", "the file's content (" + expected + ") is not in the backup; a restore fails "
                                       "with \"Manifest references files not in backup\"");
            } else {
                const std::string& where = found->second.front();
                report("blob.misplaced", "the file's content is at " + (where.empty() ? "" : where + "/") +
                                             record.file_id + " instead of " + expected);
            }
            return;
        }
        fs::path path = m_backup.path / expected;
        auto stat = m_file_system.stat(path);
        if (!stat) {
            report("blob.unreadable", expected + ": " + stat.error().message);
            return;
        }
        m_blobs_checked.fetch_add(1, std::memory_order_relaxed);
        std::uint64_t want = stored_length(record.size, job.encrypted);
        bool will_decrypt = job.read_data && m_keys != nullptr && !record.encryption_key.empty();
        if (stat->size != want) {
            // Without the key, an encrypted blob of whole blocks may just hold a file that changed
            // while the backup ran (real iOS 9 backups have these, format.md §11); decrypting tells.
            if (job.encrypted && stat->size % 16 == 0 && stat->size > 0) {
                if (!will_decrypt) {
                    report("blob.size_unverified", "the encrypted content is " + std::to_string(stat->size) +
                                                       " bytes; the recorded size " + std::to_string(record.size) +
                                                       " would make it " + std::to_string(want));
                }
            } else {
                report("blob.size_mismatch", "the content is " + std::to_string(stat->size) + " bytes, the index says " +
                                                 std::to_string(want));
            }
        }
        if (job.read_data) read_and_digest(job, path, expected, buffers, report);
    }

    std::uint64_t blobs_checked() const { return m_blobs_checked.load(); }
    std::uint64_t blobs_read() const { return m_blobs_read.load(); }
    std::uint64_t bytes_read() const { return m_bytes_read.load(); }
    std::uint64_t blobs_decrypted() const { return m_blobs_decrypted.load(); }

private:
    template <typename Report>
    void read_and_digest(const BlobJob& job, const fs::path& path, const std::string& expected, Buffers& buffers,
                         Report& report)
    {
        const FileRecord& record = *job.record;
        bool decrypt = false;
        if (m_keys != nullptr && !record.encryption_key.empty()) {
            auto file_key = unwrap_class_wrapped_key(*m_keys, record.encryption_key);
            if (file_key) {
                buffers.decryptor.reset(file_key->view());
                decrypt = true;
            } else {
                report("blob.key_unwrap_failed",
                       "the file's key cannot be unwrapped (" + file_key.error().message +
                           "): it was made by an earlier, interrupted encrypted backup, so this file cannot be "
                           "restored; the key cannot be recovered");
            }
        }
        auto reader = m_file_system.open_read(path);
        if (!reader) {
            report("blob.unreadable", expected + ": " + reader.error().message);
            return;
        }
        std::uint64_t blob_bytes = 0;
        for (;;) {
            auto count = (*reader)->read(buffers.read);
            if (!count) {
                report("blob.unreadable", expected + ": " + count.error().message);
                buffers.hasher.finish();
                buffers.seal_hasher.finish();
                return;
            }
            if (*count == 0) break;
            ByteView chunk(buffers.read.data(), *count);
            blob_bytes += *count;
            buffers.hasher.update(chunk);
            if (m_seal != nullptr) buffers.seal_hasher.update(chunk);
            // The plaintext goes into a reused buffer and is dropped: it never leaves memory.
            if (decrypt) buffers.decryptor.update(chunk, buffers.plaintext);
            m_bytes_read.fetch_add(*count, std::memory_order_relaxed);
            m_progress.advance(*count);
        }
        Sha1Digest digest = buffers.hasher.finish();
        if (m_seal != nullptr) m_seal->add(expected, blob_bytes, buffers.seal_hasher.finish());
        m_blobs_read.fetch_add(1, std::memory_order_relaxed);
        // The Digest is the SHA-1 of the blob as stored: ciphertext in encrypted backups (§11).
        const Bytes& recorded = record.digest;
        if (recorded.size() == digest.size() && !std::equal(digest.begin(), digest.end(), recorded.begin())) {
            report("blob.digest_mismatch", "the content's SHA-1 is " + to_hex(digest) + ", the index says " +
                                               to_hex(recorded) + ": the content is damaged");
        }
        if (decrypt) check_decrypted(buffers.decryptor.finish(), record, report);
    }

    template <typename Report>
    void check_decrypted(const CbcDecryptor::Final& final, const FileRecord& record, Report& report)
    {
        if (final.padding == PaddingStatus::Invalid) {
            report("blob.padding_invalid",
                   "the content does not decrypt to valid data (bad padding): it is damaged or truncated");
        } else if (final.plaintext_size != record.size) {
            report("blob.size_changed", "the content decrypts correctly to " + std::to_string(final.plaintext_size) +
                                            " bytes, not the " + std::to_string(record.size) +
                                            " recorded: the file changed while the backup was taken");
        }
        m_blobs_decrypted.fetch_add(1, std::memory_order_relaxed);
    }

    const FileSystem& m_file_system;
    const Backup& m_backup;
    const BlobTree& m_tree;
    const ClassKeys* m_keys;
    SealRecorder* m_seal;  // null unless sealing
    FindingSink& m_sink;
    Progress& m_progress;
    std::atomic<std::uint64_t> m_blobs_checked{0};
    std::atomic<std::uint64_t> m_blobs_read{0};
    std::atomic<std::uint64_t> m_bytes_read{0};
    std::atomic<std::uint64_t> m_blobs_decrypted{0};
};

void report_orphans(const Backup& backup, const ManifestIndex& index, const BlobTree& tree, FindingSink& sink)
{
    std::unordered_set<std::string_view> named;
    named.reserve(index.records.size() + index.unreadable.size());
    for (const FileRecord& record : index.records) named.insert(record.file_id);
    for (const UnreadableRecord& record : index.unreadable) named.insert(record.file_id);
    std::vector<std::string> orphans;
    for (const auto& [name, folders] : tree.blobs) {
        for (const std::string& folder : folders) {
            bool expected_here = named.count(name) != 0 &&
                                 folder == (backup.format == BackupFormat::ManifestMbdb ? "" : name.substr(0, 2));
            // A named blob in the wrong folder was reported as misplaced unless a copy sits in place.
            if (expected_here || (named.count(name) != 0 && folders.size() == 1)) continue;
            orphans.push_back(folder.empty() ? name : folder + "/" + name);
        }
    }
    std::sort(orphans.begin(), orphans.end());  // stable output whatever the hash order
    for (const std::string& orphan : orphans) {
        sink.add(make_finding("orphan.blob", "content that no index entry refers to", {}, {}, orphan));
    }
}

}  // namespace

Status check_blobs(const FileSystem& file_system, const Backup& backup, const ManifestIndex& index,
                   const std::vector<BlobJob>& jobs, const BlobTree& tree, const VerifyOptions& options,
                   const ClassKeys* keys, FindingSink& sink, VerifyCounts& counts, Progress& progress)
{
    BlobChecker checker(file_system, backup, tree, keys, options.seal, sink, progress);
    unsigned thread_count = options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    // Stat-only checks are cheap; more threads than jobs would only cost start-up time.
    thread_count = static_cast<unsigned>(std::min<std::size_t>(thread_count, std::max<std::size_t>(1, jobs.size() / 64)));
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        BlobChecker::Buffers buffers;
        for (;;) {
            if (options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed)) return;
            std::size_t i = next.fetch_add(1, std::memory_order_relaxed);
            if (i >= jobs.size()) return;
            checker.check(jobs[i], buffers);
        }
    };
    std::vector<std::thread> threads;
    for (unsigned i = 1; i < thread_count; ++i) threads.emplace_back(worker);
    worker();
    for (std::thread& thread : threads) thread.join();

    counts.blobs_checked = checker.blobs_checked();
    counts.blobs_read = checker.blobs_read();
    counts.bytes_read = checker.bytes_read();
    counts.blobs_decrypted = checker.blobs_decrypted();
    if (options.cancel != nullptr && options.cancel->load()) {
        return make_error(ErrorCode::Interrupted, backup.path.string(), "verify was interrupted");
    }
    report_orphans(backup, index, tree, sink);
    return Ok{};
}

}  // namespace bkcheck::detail
