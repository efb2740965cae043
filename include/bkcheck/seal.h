// A seal: the XXH3-128 of every blob and index file of a backup, taken by a full verify
// (`verify --read-data --seal`) of the backup as it is, sound or damaged: the seal records the
// verdict and the findings of that verify. A later `verify --against-seal` hashes the same files
// again and names every one whose bytes changed, went missing or appeared since — bit rot or
// tampering between the verify and the restore — without the password and without the index's own
// digests, which iOS 10+ records mostly lack (format.md §6). XXH3 runs at memory speed, so such a
// check costs what reading the files costs.
//
// The seal file lives beside the backup folder, never inside it (nor inside any other backup):
// Apple's software owns the folder's contents, and a seal inside would change the thing it vouches
// for.
//
// Format (text, one entry per line, sorted by path, so `diff` and `grep` work on it):
//   bkcheck-seal 2
//   backup <folder name>
//   sealed <unix seconds>
//   hash <xxh3-128 | sha256>        (the hash of every line below, and of the closing line)
//   verdict <the verify's verdict: ok, damaged, incomplete, ...>
//   finding <code> <count>          (one line per finding code of that verify, sorted)
//   <hash in hex> <size in bytes> <path relative to the backup folder>
//   ...
//   end <hash in hex of every byte above this line>
// The last line makes a truncated or edited seal file an error instead of a false "unchanged".
// Seals of version 1 (XXH3-128, no hash, verdict or finding lines: made only of sound backups) are
// still read. XXH3-128 runs at memory speed; `verify --seal-hash sha256` seals with SHA-256 for
// evidence that must use a cryptographic hash (about 1.7 GB/s per core with SHA-NI).
#pragma once

#include "bkcheck/backup.h"
#include "bkcheck/file_system.h"
#include "bkcheck/findings.h"
#include "bkcheck/status.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bkcheck {

using Xxh128 = std::array<std::uint8_t, 16>;  // big-endian (XXH128_canonical_t), as printed

// Streaming XXH3-128. Reusable: finish() returns the hash and starts over.
class Xxh128Hasher {
public:
    Xxh128Hasher();
    ~Xxh128Hasher();
    Xxh128Hasher(Xxh128Hasher&&) noexcept;
    Xxh128Hasher& operator=(Xxh128Hasher&&) noexcept;
    void update(ByteView bytes);
    Xxh128 finish();

private:
    struct State;
    std::unique_ptr<State> m_state;
};

enum class SealHash { Xxh3_128, Sha256 };
// "xxh3-128" or "sha256", as the seal file names it.
const char* seal_hash_name(SealHash kind);
std::optional<SealHash> seal_hash_from_name(std::string_view name);

// Streaming hash of the seal's kind (XXH3-128: 16 bytes; SHA-256: 32). Reusable: finish() returns
// the hash and starts over; use() changes the kind.
class SealHasher {
public:
    explicit SealHasher(SealHash kind = SealHash::Xxh3_128);
    ~SealHasher();
    SealHasher(SealHasher&&) noexcept;
    SealHasher& operator=(SealHasher&&) noexcept;
    void use(SealHash kind);
    void update(ByteView bytes);
    Bytes finish();

private:
    struct State;
    std::unique_ptr<State> m_state;
};

struct SealEntry {
    std::string
        path;  // relative to the backup folder, '/'-separated: "Manifest.db", "3d/3d0d7e..."
    std::uint64_t size = 0;
    Bytes hash;  // of the seal's kind
};

struct Seal {
    std::string backup_name;         // the backup folder's name when sealed
    std::int64_t sealed_at = 0;      // unix seconds
    std::vector<SealEntry> entries;  // sorted by path, unique
    SealHash hash = SealHash::Xxh3_128;
    // The verdict of the verify that made it (verdict_name); empty in a version 1 seal, which only
    // a sound backup got.
    std::string verdict;
    std::map<std::string, std::size_t> findings;  // finding code -> how many, of that verify
};

// Collects entries from verify's reader threads.
class SealRecorder {
public:
    explicit SealRecorder(SealHash kind = SealHash::Xxh3_128) : m_kind(kind) {}
    // The hash every entry is of: verify's readers hash with it.
    SealHash kind() const { return m_kind; }
    void add(std::string path, std::uint64_t size, Bytes hash);
    void add(std::string path, std::uint64_t size, const Xxh128& hash)
    {
        add(std::move(path), size, Bytes(hash.begin(), hash.end()));
    }
    // The paths recorded so far.
    std::vector<std::string> paths();
    // The seal, entries sorted; the recorder is left empty.
    Seal take(std::string backup_name, std::int64_t sealed_at);

private:
    SealHash m_kind;
    std::mutex m_mutex;
    std::vector<SealEntry> m_entries;
};

std::string serialize_seal(const Seal& seal);
// `source` names the file in errors. Corrupt when the text is not a seal, was cut short or edited,
// or names a path that would leave the backup folder (absolute, "..", empty).
Result<Seal> parse_seal(std::string_view text, const std::string& source);

// Where a backup's seal goes by default: beside the folder, "<folder>.bkcheck-seal".
fs::path default_seal_path(const fs::path& backup_dir);
// How a seal file is claimed (write_output_file): readable by everyone, in no backup folder; an
// existing file is replaced only when it is an earlier seal (it begins with "bkcheck-seal 1" and is
// this user's) or `overwrite` (the user said --overwrite). verify checks it with check_output_file
// before reading any blob, so a refused or mistyped --seal-file costs no hour-long read.
OutputFileOptions seal_file_options(bool overwrite);
// Whether a file that begins with `head` is a seal bkcheck wrote.
bool looks_like_seal_file(ByteView head, std::uint64_t size);

Result<Seal> read_seal(const FileSystem& file_system, const fs::path& seal_path);
Status write_seal(WritableFileSystem& file_system, const fs::path& seal_path, const Seal& seal,
                  bool overwrite);

// Hashes the backup's index and plist files (Info/Status/Manifest.plist, Manifest.db with its -wal,
// Manifest.mbdb) that exist, into `recorder`, after verify's read pass sealed the blobs the index
// names; then every other file a seal could name that is not recorded yet (an orphan blob, a stray
// file beside the index), so a backup that holds them can later be found unchanged.
Status seal_index_files(const FileSystem& file_system, const Backup& backup,
                        SealRecorder& recorder);

struct SealCheckOptions : OperationContext {
    // Check against a seal that names another backup folder (this one was renamed since:
    // --seal-of-renamed). Without
    // it such a seal is refused (InvalidArgument) before any file is read: compared with another
    // backup's seal every file would read changed or missing.
    bool other_folder = false;
};

struct SealCheckResult {
    std::uint64_t files_checked = 0;  // sealed files hashed again
    std::uint64_t bytes_read = 0;
    std::uint64_t changed = 0;   // seal.changed
    std::uint64_t missing = 0;   // seal.missing
    std::uint64_t unsealed = 0;  // seal.unsealed
    std::uint64_t denied =
        0;  // access.denied: this user may not read them, so not compared (not "changed")
    bool unchanged() const { return changed == 0 && missing == 0 && unsealed == 0; }
    // Unchanged as far as compared, but some files were not (denied): no "unchanged" verdict.
    bool unchecked() const { return unchanged() && denied != 0; }
};

// Hashes every file the seal names and compares; lists the backup folder and its blob folders for
// files the seal does not name. Findings: seal.changed, seal.missing (errors), seal.unsealed and
// access.denied (a file this user may not read: not compared, never "changed") (warnings).
// An Error only for Interrupted, and for a seal of another folder (SealCheckOptions::other_folder).
Result<SealCheckResult> check_against_seal(const FileSystem& file_system, const Backup& backup,
                                           const Seal& seal, const SealCheckOptions& options,
                                           FindingSink& sink);

}  // namespace bkcheck
