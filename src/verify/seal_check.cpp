// Sealing the index files and checking a backup against its seal (seal.h).
#include "bkcheck/findings.h"
#include "bkcheck/path_text.h"
#include "bkcheck/seal.h"
#include "bytes.h"
#include "page_aligned_bytes.h"
#include "worker_threads.h"

#include <algorithm>
#include <thread>
#include <unordered_set>

namespace bkcheck {
namespace {

constexpr std::size_t k_read_buffer_bytes = 1 << 20;

// The files besides the blobs whose bytes the seal covers. Manifest.db-shm is left out: it is
// SQLite's shared-memory index, rewritten by any reader that opens the database normally.
constexpr const char* k_index_files[] = {"Info.plist",  "Status.plist",    "Manifest.plist",
                                         "Manifest.db", "Manifest.db-wal", "Manifest.mbdb"};

struct HashedFile {
    std::uint64_t size = 0;
    Bytes hash;
};

// Checks `cancel` at every chunk: one blob can be many gigabytes, and Ctrl-C must not wait for it.
Result<HashedFile> hash_file(const FileSystem& file_system, const fs::path& path,
                             PageAlignedBytes& buffer,
                             SealHasher& hasher, const std::atomic<bool>* cancel,
                             Progress& progress)
{
    auto reader = file_system.open_read(path);
    if (!reader) return std::move(reader).error();
    HashedFile hashed;
    for (;;) {
        auto count = (*reader)->read(buffer);
        if (!count) {
            hasher.finish();
            return std::move(count).error();
        }
        if (*count == 0) break;
        if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
            hasher.finish();
            return make_error(ErrorCode::Interrupted, path_text(path), "interrupted");
        }
        hasher.update(ByteView(buffer.data(), *count));
        hashed.size += *count;
        progress.advance(*count);
    }
    hashed.hash = hasher.finish();
    return hashed;
}

std::string sealed_date(const Seal& seal)
{
    char text[32] = "an unknown date";
    std::time_t when = static_cast<std::time_t>(seal.sealed_at);
    std::tm utc{};
    if (gmtime_r(&when, &utc) != nullptr)
        std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &utc);
    return text;
}

// Every regular file of the backup that a seal could name: top-level files and the files of the
// two-hex blob folders (iOS 10+). Sorted, '/'-separated, relative to the folder.
std::vector<std::string> sealable_files(const FileSystem& file_system, const fs::path& backup_dir)
{
    std::vector<std::string> files;
    auto top = file_system.list(backup_dir);
    if (!top) return files;
    for (const DirEntry& entry : *top) {
        if (entry.type == EntryType::File) {
            if (entry.name != "Manifest.db-shm") files.push_back(entry.name);
        } else if (entry.type == EntryType::Directory && is_blob_folder_name(entry.name)) {
            auto inner = file_system.list(backup_dir / entry.name);
            if (!inner) continue;
            for (const DirEntry& blob : *inner) {
                if (blob.type == EntryType::File) files.push_back(entry.name + "/" + blob.name);
            }
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

Status seal_index_files(const FileSystem& file_system, const Backup& backup, SealRecorder& recorder)
{
    PageAlignedBytes buffer(k_read_buffer_bytes);
    SealHasher hasher(recorder.kind());
    for (const char* name : k_index_files) {
        fs::path path = backup.path / name;
        if (!file_system.exists(path)) continue;
        auto hashed = hash_file(file_system, path, buffer, hasher, nullptr, null_progress());
        if (!hashed) return std::move(hashed).error();
        recorder.add(name, hashed->size, std::move(hashed->hash));
    }
    // Every other file a later check would find: an orphan blob, a stray file beside the index.
    // Sealed as it is, so "nothing changed" can be said of a backup that holds them (trial: a fresh
    // seal of such a backup was never "unchanged").
    std::vector<std::string> recorded = recorder.paths();
    std::unordered_set<std::string_view> known(recorded.begin(), recorded.end());
    for (const std::string& file : sealable_files(file_system, backup.path)) {
        if (known.count(file) != 0) continue;
        auto hashed =
            hash_file(file_system, backup.path / file, buffer, hasher, nullptr, null_progress());
        if (!hashed) return std::move(hashed).error();
        recorder.add(file, hashed->size, std::move(hashed->hash));
    }
    return Ok{};
}

Result<SealCheckResult> check_against_seal(const FileSystem& file_system, const Backup& backup,
                                           const Seal& seal, const SealCheckOptions& options,
                                           FindingSink& sink)
{
    // A seal names the folder it was made of. Another folder's seal would call every file changed
    // or missing (trial: accepted silently): refused unless the folder is known to be renamed.
    if (!seal.backup_name.empty() && seal.backup_name != backup.folder_name &&
        !options.other_folder) {
        return make_error(ErrorCode::InvalidArgument, path_text(backup.path),
                          "the seal was made of another backup, \"" + seal.backup_name +
                              "\", not of \"" + backup.folder_name +
                              "\": nothing was checked. Give this backup's seal (--seal-file), "
                              "or --seal-of-renamed if this folder was renamed from \"" +
                              seal.backup_name + "\"");
    }
    Progress& progress = options.reporter();
    const std::string since = " since it was sealed on " + sealed_date(seal);
    std::uint64_t total = 0;
    for (const SealEntry& entry : seal.entries) total += entry.size;
    progress.start("checking against the seal", total);

    std::atomic<std::size_t> next{0};
    std::atomic<std::uint64_t> files_checked{0}, bytes_read{0}, changed{0}, missing{0}, denied{0};
    auto cancelled = [&] {
        return options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed);
    };
    auto worker = [&] {
        PageAlignedBytes buffer(k_read_buffer_bytes);
        SealHasher hasher(seal.hash);
        for (std::size_t i; !cancelled() && (i = next.fetch_add(1, std::memory_order_relaxed)) <
                                                seal.entries.size();) {
            const SealEntry& entry = seal.entries[i];
            auto hashed = hash_file(file_system, backup.path / entry.path, buffer, hasher,
                                    options.cancel, progress);
            if (!hashed && hashed.error().code == ErrorCode::Interrupted) return;
            if (!hashed && is_permission_error(hashed.error())) {
                denied.fetch_add(1, std::memory_order_relaxed);
                sink.add(make_finding(finding_code::access_denied,
                                      "not compared with the seal: " + hashed.error().message, {},
                                      {}, entry.path));
                continue;
            }
            if (!hashed) {
                bool gone = hashed.error().code == ErrorCode::NotFound;
                (gone ? missing : changed).fetch_add(1, std::memory_order_relaxed);
                sink.add(make_finding(
                    gone ? finding_code::seal_missing : finding_code::seal_changed,
                    gone ? "removed" + since : "cannot be read: " + hashed.error().message, {}, {},
                    entry.path));
                continue;
            }
            files_checked.fetch_add(1, std::memory_order_relaxed);
            bytes_read.fetch_add(hashed->size, std::memory_order_relaxed);
            if (hashed->size != entry.size || hashed->hash != entry.hash) {
                changed.fetch_add(1, std::memory_order_relaxed);
                std::string how = hashed->size != entry.size
                                      ? std::to_string(hashed->size) + " bytes, sealed as " +
                                            std::to_string(entry.size)
                                      : "same size, different bytes";
                sink.add(make_finding(finding_code::seal_changed, "changed" + since + ": " + how,
                                      {}, {}, entry.path));
            }
        }
    };
    // This thread is a worker too, so the check goes on even if no other thread can be started.
    unsigned extra = static_cast<unsigned>(
        std::min<std::size_t>(detail::worker_count(options.threads) - 1,
                              seal.entries.empty() ? 0 : seal.entries.size() - 1));
    std::vector<std::thread> threads =
        detail::start_workers(extra, [&worker](unsigned) { worker(); });
    worker();
    for (std::thread& thread : threads) thread.join();
    progress.finish();
    if (cancelled())
        return make_error(ErrorCode::Interrupted, path_text(backup.path),
                          "the seal check was interrupted");

    SealCheckResult result;
    result.files_checked = files_checked;
    result.bytes_read = bytes_read;
    result.changed = changed;
    result.missing = missing;
    result.denied = denied;
    // Files the seal does not name: a blob or index file that appeared after the seal.
    std::unordered_set<std::string_view> sealed;
    sealed.reserve(seal.entries.size());
    for (const SealEntry& entry : seal.entries) sealed.insert(entry.path);
    for (const std::string& file : sealable_files(file_system, backup.path)) {
        if (sealed.count(file) != 0) continue;
        ++result.unsealed;
        sink.add(make_finding(finding_code::seal_unsealed, "appeared" + since, {}, {}, file));
    }
    return result;
}

}  // namespace bkcheck
