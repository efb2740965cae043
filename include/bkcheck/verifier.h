// verify: checks a backup against the format (format.md §6) and reports findings, never changing a
// byte on disk. Structure by default (plists, index integrity, every record has a blob of the right
// length, orphans); with read_data also every blob's SHA-1 against the record's Digest.
#pragma once

#include "bkcheck/backup.h"
#include "bkcheck/findings.h"
#include "bkcheck/manifest.h"
#include "bkcheck/seal.h"
#include "bkcheck/status.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <set>

namespace bkcheck {

// The most worker threads a run uses, whatever is asked: more would not be faster on any machine
// bkcheck runs on, and a mistyped `--jobs 200000` would run out of threads part-way.
inline constexpr unsigned k_max_threads = 256;

class EvidenceRecorder;  // src/verify/evidence.h

struct VerifyOptions : OperationContext {
    bool read_data = false;
    // Also decode each blob's content where its type is told by its first bytes (SQLite, plists,
    // JPEG, PNG, HEIC/MOV/MP4), decrypting in memory; implies read_data. A file that decodes
    // reaches level `content`; one that does not gets a content.* finding.
    bool deep = false;
    // With read_data: the share of blobs to read, 0 < fraction <= 1; chosen by fileID, so a
    // re-run reads the same sample.
    double read_fraction = 1.0;
    // With read_data: when set, read only the blobs of these fileIDs (the others are checked for
    // presence and length, as outside a sample). Repair's check after its changes uses it: the
    // content it did not touch was read moments before.
    const std::set<std::string>* read_only = nullptr;
    ManifestDbOptions manifest_db;
    // For encrypted backups: called once the checks that need no key are done, so a caller can run
    // the slow key derivation meanwhile (on another thread) and hand over the unlocked class keys.
    // Empty: no password was given, and only what needs no key is checked. An error from it (wrong
    // password) ends the verify with that error.
    std::function<Result<const ClassKeys*>()> unlock;
    // With read_data: also record the XXH3-128 of every blob read, and of the index files, for a
    // seal (seal.h). Whether the result may be sealed is seal_refusal()'s call.
    SealRecorder* seal = nullptr;
    // verify --report: one entry per index row, with the SHA-256 of every blob read and, when
    // decrypting, of its plaintext (every such blob is then decrypted in full, not just its last
    // block).
    EvidenceRecorder* evidence = nullptr;
};

enum class Verdict {
    Ok,          // no error-severity finding
    Damaged,     // errors in the files or index
    Incomplete,  // the last backup session did not finish
    Unreadable,  // the index or Manifest.plist cannot be read: nothing can be restored from it
    Unchecked,   // no error found, but the index or some file could not be examined at all (an
                 // encrypted index without the password): never "ok" for what was not looked at
};

const char* verdict_name(Verdict verdict);

struct VerifyCounts {
    std::uint64_t records = 0;
    std::uint64_t files = 0;
    std::uint64_t directories = 0;
    std::uint64_t symlinks = 0;
    std::uint64_t blobs_checked = 0;  // blobs whose presence and length were checked
    std::uint64_t blobs_read = 0;     // blobs read in full (read_data)
    std::uint64_t bytes_read = 0;
    std::uint64_t blobs_decrypted = 0;  // blobs decrypted in memory to check key, padding and size
    std::uint64_t blobs_decoded = 0;    // --deep: blobs of a known type whose content was decoded
    // --deep: blobs of a type bkcheck decodes that it did not look into, by why (they stay at level
    // length, or digest; never called damaged): a plist over 8 MiB (read whole, it would cost the
    // memory bound), one beyond the parser's bounds (nesting, value sizes), a database whose check
    // needs a collation or SQL function only its app registers.
    struct NotDecoded {
        std::uint64_t plist_too_large = 0;
        std::uint64_t plist_beyond_bounds = 0;
        std::uint64_t sqlite_needs_app = 0;
        std::uint64_t total() const
        {
            return plist_too_large + plist_beyond_bounds + sqlite_needs_app;
        }
    } not_decoded;
    std::uint64_t blobs_found = 0;  // blobs in the backup's folders, named by the index or not
    bool deep = false;  // content was decoded (--deep): the level `content` is meaningful
    bool index_examined =
        false;  // the index was read (false: encrypted without the password, or unreadable)
    // Every file with content, by the level it was verified to (they add up to the files with a
    // blob to check): its stored bytes match the recorded SHA-1 (digest); its content decodes as
    // what its first bytes say it is (content: --deep, a file with no Digest); its length matches,
    // and when encrypted its padding and plaintext length (length); it is there (present: an
    // encrypted blob not decrypted, or one whose size changed during the backup); it could not be
    // looked at (not_checked: behind a link); or it is damaged (an error names it).
    struct Levels {
        std::uint64_t digest = 0;
        std::uint64_t content = 0;
        std::uint64_t length = 0;
        std::uint64_t present = 0;
        std::uint64_t not_checked = 0;
        std::uint64_t damaged = 0;
    } levels;
};

struct VerifyResult {
    Verdict verdict = Verdict::Ok;
    VerifyCounts counts;
};

// Why the outcome of a verify must not be sealed ("" when it may): a seal vouches that every byte
// was read and found sound, so it needs a full --read-data pass over a readable index and no error.
std::string seal_refusal(const VerifyOptions& options, const VerifyResult& result,
                         const FindingSink& sink);

// Verifies `backup`. Findings go to `sink`. An Error only when the job could not be done: the
// backup's format is unsupported (iOS <= 4) or the caller cancelled (Interrupted).
Result<VerifyResult> verify_backup(const FileSystem& file_system, const Backup& backup,
                                   const VerifyOptions& options, FindingSink& sink);

}  // namespace bkcheck
