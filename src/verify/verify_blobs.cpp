// Blob step of verify: presence, placement and length of a file's blob and, with read_data, its
// SHA-1 against the record's Digest (format.md §6), when encrypted and unlocked its decryption, and
// when sealing its XXH3-128, all in one pass over the blob with buffers reused per worker thread,
// so memory stays bounded whatever the backup's size. Then orphans: blobs no record names.
#include "bkcheck/findings.h"
#include "bytes.h"
#include "content_check.h"
#include "decrypting_source.h"
#include "keybag.h"
#include "manifest_db.h"
#include "verify_steps.h"

#include "bkcheck/path_text.h"
#include "crypto.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <iterator>
#include <limits>
#include <mutex>
#include <optional>
#include <vector>

namespace bkcheck::detail {
namespace {

// --deep: blobs up to this size are kept whole (as plaintext) by the read pass and decoded from
// memory; per worker, so memory stays bounded (jobs x 4 MiB). Databases, plists, photos and PNGs
// are mostly below it; videos above it are walked by their box headers, a few small reads.
constexpr std::uint64_t k_deep_kept_bytes = 4u << 20;

void append(Bytes& to, ByteView bytes)
{
    to.insert(to.end(), bytes.begin(), bytes.end());
}

// Encrypted blobs are AES-CBC with PKCS#7 padding: always 1-16 bytes longer than the plaintext
// (§5.5). nullopt when no blob can have that length: a hostile size near 2^64 would wrap
// 16*(size/16+1) round to a small number (0xFFFFFFFFFFFFFFF0 to 0), and an empty blob would pass.
std::optional<std::uint64_t> stored_length(std::uint64_t plaintext_size, bool encrypted)
{
    if (!encrypted) return plaintext_size;
    if (plaintext_size > std::numeric_limits<std::uint64_t>::max() - 16) return std::nullopt;
    return 16 * (plaintext_size / 16 + 1);
}

// What was found about one blob: its problems, reported as one finding (the most specific cause,
// with the other facts in its message), and how far it was verified.
struct BlobOutcome {
    struct Problem {
        std::string_view code;
        std::string message;
    };
    std::vector<Problem> problems;
    bool digest_matched = false;  // the stored bytes' SHA-1 equals the record's Digest
    bool length_matched =
        false;  // the stored length is the recorded one (unencrypted) or decrypts to it
    bool content_decoded = false;  // --deep: the content decodes as what its first bytes say

    void add(std::string_view code, std::string message)
    {
        problems.push_back({code, std::move(message)});
    }
};

// Most specific first: a blob that cannot be read, then one of the wrong length (which also makes
// its digest and padding wrong), then a key that does not unwrap, bad padding, a wrong digest, and
// the warnings last.
int problem_rank(std::string_view code)
{
    constexpr std::string_view k_order[] = {
        finding_code::access_denied,           finding_code::blob_unreadable,
        finding_code::blob_size_mismatch,      finding_code::blob_key_unwrap_failed,
        finding_code::blob_padding_invalid,    finding_code::blob_digest_mismatch,
        finding_code::content_sqlite_corrupt,  finding_code::content_plist_unreadable,
        finding_code::content_media_truncated, finding_code::content_media_corrupt,
        finding_code::blob_size_unverified,    finding_code::blob_size_changed,
        finding_code::content_type_mismatch};
    for (std::size_t i = 0; i < std::size(k_order); ++i) {
        if (k_order[i] == code) return static_cast<int>(i);
    }
    return static_cast<int>(std::size(k_order));
}

}  // namespace

struct BlobChecker::State {
    State(const FileSystem& file_system, const Backup& backup, const BlobTree& tree,
          const ClassKeys* keys, SealRecorder* seal, const std::atomic<bool>* cancel,
          Progress& progress)
        : m_file_system(file_system),
          m_backup(backup),
          m_tree(tree),
          m_keys(keys),
          m_seal(seal),
          m_cancel(cancel),
          m_progress(progress),
          m_behind_links(tree.links.size())
    {
    }

    void check(const FileRecord& record, const BlobJob& job, Buffers& buffers, FindingSink& sink,
               EvidenceEntry* evidence)
    {
        BlobOutcome outcome;
        auto report = [&](std::string_view code, std::string message) {
            outcome.add(code, std::move(message));
        };
        inspect(record, job, buffers, outcome, report, evidence);
        conclude(record, outcome, sink, evidence);
    }

    template <typename Report>
    void inspect(const FileRecord& record, const BlobJob& job, Buffers& buffers,
                 BlobOutcome& outcome, Report& report, EvidenceEntry* evidence)
    {
        const BlobId& id = job.id;
        // The folder it belongs in: the two-hex folder of its first byte, or the backup folder
        // itself (mbdb era).
        const bool flat = m_backup.format == BackupFormat::ManifestMbdb;
        const std::uint16_t expected_folder = flat ? BlobTree::k_flat : id[0];
        auto [first, last] = job.entries ? *job.entries : m_tree.find(id);
        bool in_place = false;
        for (std::size_t i = first; i < last; ++i)
            in_place = in_place || m_tree.entries[i].folder == expected_folder;
        if (!in_place) {
            // In a blob folder this user may not list (access.denied, said once for the folder):
            // not looked at, so neither missing nor damaged.
            if (!flat && m_tree.denied_folders.test(id[0])) {
                m_not_checked.fetch_add(1, std::memory_order_relaxed);
                outcome.problems.push_back({"", ""});  // counted as not checked, nothing reported
                return;
            }
            // Its place is behind a link (blob.link): not looked at, so neither missing nor
            // damaged; counted for that finding instead of checked.
            auto link = m_tree.link_for(id, expected_folder);
            if (link) {
                m_behind_links[*link].fetch_add(1, std::memory_order_relaxed);
                m_not_checked.fetch_add(1, std::memory_order_relaxed);
                outcome.problems.push_back({"", ""});  // counted as not checked, nothing reported
                return;
            }
            if (first == last) {
                // Its message is made by conclude, for a finding the sink keeps only: a backup
                // that misses blobs may miss them by the thousand, past the sink's cap, and the
                // message cost four allocations a row.
                report(finding_code::blob_missing, std::string());
            } else {
                std::string where = BlobTree::folder_name(m_tree.entries[first].folder);
                report(finding_code::blob_misplaced,
                       "the file's content is at " + (where.empty() ? "" : where + "/") +
                           record.file_id + " instead of " + expected_path(record));
            }
            return;
        }
        std::string expected = expected_path(record);
        auto stat = stat_blob(expected_folder, record.file_id, expected);
        if (!stat) {
            report_unreadable(report, expected, stat.error());
            return;
        }
        fs::path path = m_backup.path / expected;
        if (!stat->readable) {  // even when no content is read: a restore as this user could not
                                // read it
            report_unreadable(report, expected,
                              error_from_errno(EACCES, path, "this user may not read it"));
            return;
        }
        m_blobs_checked.fetch_add(1, std::memory_order_relaxed);
        if (evidence != nullptr) evidence->stored_length = stat->size;
        std::optional<std::uint64_t> stored = stored_length(record.size, job.encrypted);
        if (!stored) {
            report(finding_code::blob_size_mismatch,
                   "the content is " + std::to_string(stat->size) + " bytes; the index says " +
                       std::to_string(record.size) + " bytes, which no encrypted blob can hold");
            return;
        }
        std::uint64_t want = *stored;
        bool will_decrypt = job.read_data && m_keys != nullptr && !record.encryption_key.empty();
        outcome.length_matched = stat->size == want && !job.encrypted;
        if (stat->size != want) {
            // Without the key, an encrypted blob of whole blocks may just hold a file that changed
            // while the backup ran (real iOS 9 backups have these, format.md §11); decrypting
            // tells.
            if (job.encrypted && stat->size % 16 == 0 && stat->size > 0) {
                if (!will_decrypt) {
                    report(finding_code::blob_size_unverified,
                           "the encrypted content is " + std::to_string(stat->size) +
                               " bytes; the recorded size " + std::to_string(record.size) +
                               " would make it " + std::to_string(want));
                }
            } else {
                report(finding_code::blob_size_mismatch,
                       job.encrypted
                           ? "the encrypted content is " + std::to_string(stat->size) +
                                 " bytes; the index records " + std::to_string(record.size) +
                                 " bytes, which encrypted take " + std::to_string(want)
                           : "the content is " + std::to_string(stat->size) +
                                 " bytes, the index says " + std::to_string(want));
            }
        }
        if (job.read_data)
            read_and_digest(record, path, expected, stat->size, job, buffers, outcome, report,
                            evidence);
    }

    // The blob's stat, by its name in its folder's handle (FileSystem::open_folder, opened once
    // per folder by the first worker that needs it), or by its whole path where the folder cannot
    // be opened (the same stat, with the path walked each time).
    Result<FileStat> stat_blob(std::uint16_t folder, const std::string& file_id,
                               const std::string& expected)
    {
        std::call_once(m_folder_opened[folder], [&] {
            fs::path dir = folder == BlobTree::k_flat
                               ? m_backup.path
                               : m_backup.path / BlobTree::folder_name(folder);
            auto opened = m_file_system.open_folder(dir);
            if (opened) m_folders[folder] = std::move(*opened);
        });
        if (m_folders[folder] != nullptr) return m_folders[folder]->stat(file_id);
        return m_file_system.stat(m_backup.path / expected);
    }

    // One finding per blob: the most specific problem, the others' facts appended to its message;
    // and the blob counted by the level it was verified to.
    // A blob this user may not read was not examined (access.denied: counted as not checked, never
    // damage); any other failure to read it is damage (blob.unreadable).
    template <typename Report>
    static void report_unreadable(Report& report, const std::string& expected, const Error& error)
    {
        report(is_permission_error(error) ? finding_code::access_denied
                                          : finding_code::blob_unreadable,
               expected + ": " + error.message);
    }

    // Where the record's blob belongs, relative to the backup folder (check_record sent only
    // well-formed fileIDs).
    std::string expected_path(const FileRecord& record) const
    {
        return *blob_relative_path(m_backup.format == BackupFormat::ManifestMbdb
                                       ? IndexFormat::ManifestMbdb
                                       : IndexFormat::ManifestDb,
                                   record.file_id);
    }

    // A problem's message, made now for a blob_missing one (inspect leaves it empty).
    std::string message_of(BlobOutcome::Problem& problem, const FileRecord& record) const
    {
        if (problem.code != finding_code::blob_missing || !problem.message.empty())
            return std::move(problem.message);
        return "the file's content (" + expected_path(record) +
               ") is not in the backup; a restore fails "
               "with \"Manifest references files not in backup\"";
    }

    void conclude(const FileRecord& record, BlobOutcome& outcome, FindingSink& sink,
                  EvidenceEntry* evidence)
    {
        auto& problems = outcome.problems;
        if (!problems.empty() && problems.front().code.empty()) {
            if (evidence != nullptr) evidence->level = "not_checked";
            return;  // behind a link, or in a folder not listed
        }
        if (evidence != nullptr) {
            for (const auto& problem : problems) evidence->codes.emplace_back(problem.code);
        }
        // Sorted only when there is something to sort: stable_sort takes a buffer from the heap
        // even for one element, and a blob has at most one problem almost always.
        if (problems.size() > 1) {
            std::stable_sort(problems.begin(), problems.end(), [](const auto& a, const auto& b) {
                return problem_rank(a.code) < problem_rank(b.code);
            });
        }
        if (!problems.empty() && !sink.count_if_dropped(problems.front().code, record.file_id,
                                                        record.relative_path, record.domain)) {
            std::string message = message_of(problems.front(), record);
            for (std::size_t i = 1; i < problems.size(); ++i) {
                message += "; also " + std::string(problems[i].code) + ": " +
                           message_of(problems[i], record);
            }
            sink.add(make_finding(problems.front().code, std::move(message), record.file_id,
                                  record.domain, record.relative_path));
        }
        bool damaged = std::any_of(problems.begin(), problems.end(), [](const auto& problem) {
            return finding_kind(problem.code).severity == Severity::Error;
        });
        bool denied = !problems.empty() && problems.front().code == finding_code::access_denied;
        auto& level = damaged                   ? m_damaged
                      : denied                  ? m_not_checked
                      : outcome.digest_matched  ? m_digest
                      : outcome.content_decoded ? m_content
                      : outcome.length_matched  ? m_length
                                                : m_present;
        level.fetch_add(1, std::memory_order_relaxed);
        if (evidence != nullptr) {
            evidence->level = damaged                   ? "damaged"
                              : denied                  ? "not_checked"
                              : outcome.digest_matched  ? "digest"
                              : outcome.content_decoded ? "content"
                              : outcome.length_matched  ? "length"
                                                        : "present";
        }
    }

    template <typename Report>
    void read_and_digest(const FileRecord& record, const fs::path& path,
                         const std::string& expected, std::uint64_t stat_size, const BlobJob& job,
                         Buffers& buffers, BlobOutcome& outcome, Report& report,
                         EvidenceEntry* evidence)
    {
        bool decrypt = false;
        // verify --report decrypts in full, for the plaintext's SHA-256; otherwise only the last
        // block is (the padding and plaintext length are all that is checked).
        bool full = evidence != nullptr;
        // --deep: a blob of up to k_deep_kept_bytes is kept as it is read (decrypted in full, in
        // this same pass, when encrypted) and decoded from memory: no second read of the file and
        // no second decryption, which made --deep on an encrypted backup cost more than twice
        // --read-data. Larger ones (mostly videos, walked by their box headers) are read again.
        bool keep = job.deep && stat_size <= k_deep_kept_bytes;
        buffers.deep_content.clear();
        std::optional<SecretBytes> key;  // kept for --deep, which decrypts the content again
        if (m_keys != nullptr && !record.encryption_key.empty()) {
            auto file_key = unwrap_class_wrapped_key(*m_keys, record.encryption_key);
            if (file_key) {
                if (full || keep)
                    buffers.decryptor.reset(file_key->view());
                else
                    buffers.final_block.reset(file_key->view());
                decrypt = true;
                key.emplace(std::move(*file_key));
            } else {
                keep = false;  // no plaintext to keep
                report(finding_code::blob_key_unwrap_failed,
                       "the file's key cannot be unwrapped (" + file_key.error().message +
                           "): it was made by an earlier, interrupted encrypted backup, so this "
                           "file cannot be "
                           "restored; the key cannot be recovered");
            }
        }
        // The Digest is the SHA-1 of the blob as stored: ciphertext in encrypted backups (§11).
        // Many files have none (app data, the camera roll: often most of the bytes); hashing them
        // would cost ~0.5 s/GB per core for nothing to compare with, and reading them still proves
        // them readable.
        const Bytes& recorded = record.digest;
        bool hash = recorded.size() == Sha1Digest{}.size();
        auto reader = m_file_system.open_read(path);
        if (!reader) {
            report_unreadable(report, expected, reader.error());
            return;
        }
        // The seal hashes every blob, Digest or not: it is what catches a changed byte in the files
        // the index cannot vouch for.
        bool seal = m_seal != nullptr;
        if (seal) buffers.seal_hasher.use(m_seal->kind());
        // An encrypted blob of a locked backup has no plaintext to keep.
        keep = keep && (decrypt || record.encryption_key.empty());
        bool decrypt_all = decrypt && (full || keep);
        if (keep) buffers.deep_content.reserve(static_cast<std::size_t>(stat_size));
        // A file that grows while it is read is not kept past the bound (it is read again).
        auto keep_bytes = [&](ByteView bytes) {
            if (!keep) return;
            if (buffers.deep_content.size() + bytes.size() > k_deep_kept_bytes + 16) {
                keep = false;
                buffers.deep_content.clear();
                return;
            }
            append(buffers.deep_content, bytes);
        };
        std::uint64_t blob_bytes = 0;
        buffers.grow_read_buffer(stat_size);
        // Whatever was hashed of a blob that is not read to its end is dropped: no digest of part
        // of a file is ever reported.
        auto drop_partial = [&] {
            if (hash) buffers.hasher.finish();
            if (seal) buffers.seal_hasher.finish();
            if (full) {
                buffers.stored_sha256.finish();
                buffers.plain_sha256.finish();
            }
        };
        for (;;) {
            auto count = (*reader)->read(buffers.read);
            if (!count) {
                report_unreadable(report, expected, count.error());
                drop_partial();
                return;
            }
            if (*count == 0) break;
            // One blob can be many gigabytes: Ctrl-C stops within a chunk, and the run reports
            // Interrupted (the pipeline sees the same flag), so nothing half-read counts or is
            // sealed.
            if (m_cancel != nullptr && m_cancel->load(std::memory_order_relaxed)) {
                drop_partial();
                return;
            }
            // Everything computed from a blob's bytes is computed here, chunk by chunk, in this one
            // pass.
            ByteView chunk(buffers.read.data(), *count);
            blob_bytes += *count;
            if (hash) buffers.hasher.update(chunk);
            if (seal) buffers.seal_hasher.update(chunk);
            // Only the padding and the plaintext length are checked, and both are in the last
            // block: decrypting the rest would cost a third of an encrypted read for nothing
            // (README Performance). No plaintext is kept, and none is written anywhere.
            if (full) buffers.stored_sha256.update(chunk);
            if (decrypt_all) {
                buffers.decryptor.update(chunk, buffers.plaintext);
                if (full) buffers.plain_sha256.update(buffers.plaintext);
                keep_bytes(buffers.plaintext);
            } else if (decrypt) {
                buffers.final_block.update(chunk);
            } else {
                keep_bytes(chunk);
            }
            m_bytes_read.fetch_add(*count, std::memory_order_relaxed);
            m_progress.advance(*count);
        }
        if (seal) m_seal->add(expected, blob_bytes, buffers.seal_hasher.finish());
        m_blobs_read.fetch_add(1, std::memory_order_relaxed);
        if (hash) {
            Sha1Digest digest = buffers.hasher.finish();
            if (!std::equal(digest.begin(), digest.end(), recorded.begin())) {
                report(finding_code::blob_digest_mismatch,
                       "the content's SHA-1 is " + to_hex(digest) + ", the index says " +
                           to_hex(recorded) + ": the content is damaged");
            } else {
                outcome.digest_matched = true;
            }
        }
        if (full) evidence->sha256_stored = buffers.stored_sha256.finish();
        if (decrypt && !decrypt_all) {
            check_decrypted(buffers.final_block.finish(), record, outcome, report);
        } else if (decrypt) {
            CbcDecryptor::Final final = buffers.decryptor.finish();
            if (full) {
                buffers.plain_sha256.update(final.tail);
                Sha256Digest plain = buffers.plain_sha256.finish();
                // Without valid padding there is no plaintext to vouch for.
                if (final.padding == PaddingStatus::Valid) evidence->sha256_plain = plain;
            }
            keep_bytes(final.tail);
            check_decrypted(final, record, outcome, report);
        }
        if (job.deep)
            decode_content(record, path, key, job, buffers, outcome, report,
                           keep ? &buffers.deep_content : nullptr);
    }

    // verify --deep: the content decoded where its type is known (content_check.h), after the
    // checks above found nothing wrong with the blob as stored (a damaged blob is reported as
    // such, not also as a damaged database). An encrypted blob is decrypted again, in memory,
    // piece by piece as the decoder asks; one whose key did not unwrap, or that was not decrypted
    // (no password), is not decoded.
    // `kept`: the whole plaintext, kept by the read pass (then nothing is read again).
    template <typename Report>
    void decode_content(const FileRecord& record, const fs::path& path,
                        const std::optional<SecretBytes>& key, const BlobJob& job, Buffers& buffers,
                        BlobOutcome& outcome, Report& report, const Bytes* kept)
    {
        for (const auto& problem : outcome.problems) {
            if (finding_kind(problem.code).severity == Severity::Error) return;
        }
        bool encrypted = !record.encryption_key.empty();
        if (encrypted && !key) return;
        auto source = kept != nullptr ? Result<std::unique_ptr<DatabaseSource>>(view_source(*kept))
                      : encrypted     ? decrypting_source(m_file_system, path, key->view(), false)
                                      : file_source(m_file_system, path);
        if (!source) {
            // The blob was read to its end a moment ago: a failure now is the disk's.
            report(finding_code::blob_unreadable,
                   path_text(path.filename()) + ": " + source.error().message);
            return;
        }
        ContentCheck check = check_content(
            **source, record.relative_path, buffers.content_window,
            [&] { return wal_companion(record, encrypted); }, job.full_sqlite_check);
        if (!check.mismatch.empty()) report(finding_code::content_type_mismatch, check.mismatch);
        if (!check.outcome.code.empty()) {
            report(check.outcome.code, check.outcome.message);
        } else if (check.outcome.decoded) {
            outcome.content_decoded = true;
        }
        // Decoded: the decoder answered (sound or not). A known type it left alone is counted by
        // why, so the summary never lets "content" stand for files nobody looked into.
        bool answered = check.outcome.decoded || !check.outcome.code.empty();
        m_blobs_decoded.fetch_add(answered ? 1 : 0, std::memory_order_relaxed);
        switch (check.outcome.not_decoded) {
            case NotDecoded::PlistTooLarge:
                m_plist_too_large.fetch_add(1, std::memory_order_relaxed);
                break;
            case NotDecoded::PlistBeyondBounds:
                m_plist_beyond_bounds.fetch_add(1, std::memory_order_relaxed);
                break;
            case NotDecoded::SqliteNeedsApp:
                m_sqlite_needs_app.fetch_add(1, std::memory_order_relaxed);
                break;
            case NotDecoded::No:
                break;
        }
    }

    // A database's -wal in the backup (the record "<path>-wal" of the same domain, found by its
    // fileID, the SHA-1 of its name), to apply to a private copy as Manifest.db's is. In an
    // encrypted backup the -wal has a key of its own, in its own row: that row is looked up in the
    // index by its fileID (rows come in any order, and only databases with a -wal blob need it),
    // and the -wal is decrypted in memory as SQLite reads it, like the database. Without its key
    // (no row, a key that does not unwrap) the database is checked as its main file holds it.
    std::unique_ptr<DatabaseSource> wal_companion(const FileRecord& record, bool encrypted) const
    {
        if (m_backup.format == BackupFormat::ManifestMbdb) return nullptr;
        std::string name = record.domain + "-" + record.relative_path + "-wal";
        Sha1Digest digest =
            sha1(ByteView(reinterpret_cast<const std::uint8_t*>(name.data()), name.size()));
        BlobId id;
        std::copy(digest.begin(), digest.end(), id.begin());
        auto [first, last] = m_tree.find(id);
        if (first == last) return nullptr;
        std::string hex = blob_id_hex(id);
        fs::path wal_path = m_backup.path / hex.substr(0, 2) / hex;
        auto stat = m_file_system.stat(wal_path);
        if (!stat || stat->type != EntryType::File || stat->size == 0) return nullptr;
        if (encrypted) {
            auto key = wal_key(hex);
            if (!key) return nullptr;
            auto wal = decrypting_source(m_file_system, wal_path, key->view(), false);
            return wal ? std::move(*wal) : nullptr;
        }
        auto wal = file_source(m_file_system, wal_path);
        return wal ? std::move(*wal) : nullptr;
    }

    // The key of the encrypted blob `file_id`, from its row of the index (ManifestKey unwraps the
    // index; iOS 10.0-10.1 keep it in plaintext, format.md §5.6).
    std::optional<SecretBytes> wal_key(const std::string& file_id) const
    {
        if (m_keys == nullptr) return std::nullopt;
        fs::path db_path = m_backup.path / "Manifest.db";
        std::optional<SecretBytes> db_key;
        if (!starts_with_sqlite_magic(m_file_system, db_path)) {
            auto unwrapped =
                unwrap_class_wrapped_key(*m_keys, m_backup.manifest.value.manifest_key);
            if (!unwrapped) return std::nullopt;
            db_key.emplace(std::move(*unwrapped));
        }
        auto row = find_manifest_row(m_file_system, db_path, db_key ? db_key->view() : ByteView(),
                                     file_id);
        if (!row || !*row) return std::nullopt;
        FileRecord wal_record;
        if (!decode_manifest_row(**row, wal_record) || wal_record.encryption_key.empty())
            return std::nullopt;
        auto key = unwrap_class_wrapped_key(*m_keys, wal_record.encryption_key);
        if (!key) return std::nullopt;
        return std::optional<SecretBytes>(std::move(*key));
    }

    template <typename Report>
    void check_decrypted(const CbcDecryptor::Final& final, const FileRecord& record,
                         BlobOutcome& outcome, Report& report)
    {
        if (final.padding == PaddingStatus::Invalid) {
            report(finding_code::blob_padding_invalid,
                   "the content does not decrypt to valid data (bad padding): it is damaged or "
                   "truncated");
        } else if (final.plaintext_size != record.size) {
            report(finding_code::blob_size_changed,
                   "the content decrypts correctly to " + std::to_string(final.plaintext_size) +
                       " bytes, not the " + std::to_string(record.size) +
                       " recorded: the file changed while the backup was taken");
        } else {
            outcome.length_matched = true;  // length, padding and plaintext length
        }
        m_blobs_decrypted.fetch_add(1, std::memory_order_relaxed);
    }

    const FileSystem& m_file_system;
    const Backup& m_backup;
    const BlobTree& m_tree;
    const ClassKeys* m_keys;
    SealRecorder* m_seal;
    const std::atomic<bool>* m_cancel;
    Progress& m_progress;
    std::atomic<std::uint64_t> m_blobs_checked{0};
    std::atomic<std::uint64_t> m_blobs_read{0};
    std::atomic<std::uint64_t> m_bytes_read{0};
    std::atomic<std::uint64_t> m_blobs_decrypted{0};
    std::atomic<std::uint64_t> m_blobs_decoded{0};
    std::atomic<std::uint64_t> m_plist_too_large{0};
    std::atomic<std::uint64_t> m_plist_beyond_bounds{0};
    std::atomic<std::uint64_t> m_sqlite_needs_app{0};
    std::atomic<std::uint64_t> m_digest{0};
    std::atomic<std::uint64_t> m_content{0};
    std::atomic<std::uint64_t> m_length{0};
    std::atomic<std::uint64_t> m_present{0};
    std::atomic<std::uint64_t> m_not_checked{0};
    std::atomic<std::uint64_t> m_damaged{0};
    std::vector<std::atomic<std::uint64_t>> m_behind_links;  // per link of the tree
    // Per blob folder (0-255, and k_flat): its handle for stat_blob, null when it cannot be opened.
    std::array<std::once_flag, BlobTree::k_flat + 1> m_folder_opened;
    std::array<std::unique_ptr<FolderEntries>, BlobTree::k_flat + 1> m_folders;
};

BlobChecker::BlobChecker(const FileSystem& file_system, const Backup& backup, const BlobTree& tree,
                         const ClassKeys* keys, SealRecorder* seal, const std::atomic<bool>* cancel,
                         Progress& progress)
    : m_state(std::make_unique<State>(file_system, backup, tree, keys, seal, cancel, progress))
{
}

BlobChecker::~BlobChecker() = default;

void BlobChecker::check(const FileRecord& record, const BlobJob& job, Buffers& buffers,
                        FindingSink& sink, EvidenceEntry* evidence)
{
    m_state->check(record, job, buffers, sink, evidence);
}

void BlobChecker::add_counts(VerifyCounts& counts) const
{
    counts.blobs_checked += m_state->m_blobs_checked.load();
    counts.blobs_read += m_state->m_blobs_read.load();
    counts.bytes_read += m_state->m_bytes_read.load();
    counts.blobs_decrypted += m_state->m_blobs_decrypted.load();
    counts.levels.digest += m_state->m_digest.load();
    counts.levels.content += m_state->m_content.load();
    counts.blobs_decoded += m_state->m_blobs_decoded.load();
    counts.not_decoded.plist_too_large += m_state->m_plist_too_large.load();
    counts.not_decoded.plist_beyond_bounds += m_state->m_plist_beyond_bounds.load();
    counts.not_decoded.sqlite_needs_app += m_state->m_sqlite_needs_app.load();
    counts.levels.length += m_state->m_length.load();
    counts.levels.present += m_state->m_present.load();
    counts.levels.not_checked += m_state->m_not_checked.load();
    counts.levels.damaged += m_state->m_damaged.load();
}

std::vector<std::uint64_t> BlobChecker::records_behind_links() const
{
    std::vector<std::uint64_t> counts;
    for (const auto& count : m_state->m_behind_links) counts.push_back(count.load());
    return counts;
}

void report_orphans(const Backup& backup, const BlobTree& tree, FindingSink& sink)
{
    std::vector<std::string> orphans;
    const auto& entries = tree.entries;
    for (std::size_t first = 0, last = 0; first < entries.size(); first = last) {
        last = first;
        while (last < entries.size() && entries[last].id == entries[first].id) ++last;
        bool named = tree.named[first] != 0;
        std::uint16_t expected_folder =
            backup.format == BackupFormat::ManifestMbdb ? BlobTree::k_flat : entries[first].id[0];
        for (std::size_t i = first; i < last; ++i) {
            // A named blob in the wrong folder was reported as misplaced unless a copy sits in
            // place.
            if (named && (entries[i].folder == expected_folder || last - first == 1)) continue;
            std::string folder = BlobTree::folder_name(entries[i].folder);
            std::string name = blob_id_hex(entries[i].id);
            orphans.push_back(folder.empty() ? name : folder + "/" + name);
        }
    }
    std::sort(orphans.begin(), orphans.end());  // path order, as a listing shows them
    for (const std::string& orphan : orphans) {
        sink.add(make_finding(finding_code::orphan_blob, "content that no index entry refers to",
                              {}, {}, orphan));
    }
}

}  // namespace bkcheck::detail
