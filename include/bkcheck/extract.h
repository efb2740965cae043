// bkcheck extract: the files of a backup as OUT/<domain>/<relativePath>, decrypted when encrypted,
// with their mtimes and permission bits (never owners, never setuid/setgid/sticky). Names are
// checked and written through output_path.h, so no record can make it write outside OUT. Each file
// streams through a 1 MB buffer into a temporary name and is renamed into place only when whole and
// sound.
#pragma once

#include "bkcheck/backup.h"
#include "bkcheck/backup_index.h"
#include "bkcheck/file_system.h"
#include "bkcheck/findings.h"
#include "bkcheck/manifest.h"
#include "bkcheck/status.h"

#include <atomic>
#include <cstdint>

namespace bkcheck {

// Which disk's rules names follow (README: "Names on other disks"). Native: those of the disk OUT
// is on, probed when the run starts. Portable: the strictest of Linux, macOS and Windows, for a
// copy that will travel. A name such a disk refuses is escaped (%XX) and one it would merge with
// another gets a distinct name; either way a name.renamed finding says so.
enum class OutputNames { Native, Portable };

// `cancel` (Ctrl-C) stops between chunks, removing the partial file.
struct ExtractOptions : OperationContext {
    RecordFilter filter;
    bool overwrite = false;  // replace existing files and symlinks under OUT
    OutputNames names = OutputNames::Native;
    bool keep_damaged =
        false;  // write files whose content is damaged (digest, padding, size) anyway
    const ClassKeys* keys = nullptr;  // needed for records with an EncryptionKey
    // Whether to total the selected sizes first (a pass over the index) so the progress display can
    // show a percentage and an ETA; pointless when nothing is displayed (not a terminal, -q).
    bool total_for_progress = true;
    // What writes OUT (tests inject faults here); null: real_writable_file_system().
    WritableFileSystem* writer = nullptr;
    // Not empty: after a run that could go on to the end, write there a sha256sum-compatible list
    // of the files written, paths relative to OUT (src/output/hash_list.h). Refused before anything
    // is written when inside a backup folder, or when a file is there that is not an earlier hash
    // list and `overwrite` is not set.
    fs::path hash_list;
};

struct ExtractSummary {
    std::uint64_t selected = 0;  // records the filter chose
    std::uint64_t files = 0;     // files written
    std::uint64_t directories = 0;
    std::uint64_t symlinks = 0;
    std::uint64_t bytes = 0;    // plaintext bytes written
    std::uint64_t skipped = 0;  // selected records not written (each has a finding saying why)
    std::uint64_t denied =
        0;  // selected files not written because this user may not read their
            // content (each has an access.denied finding): not damage, not in skipped
    std::uint64_t damaged_written = 0;  // with keep_damaged
    std::uint64_t stale_sizes =
        0;  // written with the length their padding says (blob.size_changed)
    std::uint64_t unreadable_rows =
        0;                          // index rows whose record does not decode: nothing to extract
    std::uint64_t renamed = 0;      // written under another name (each has a name.renamed finding)
    std::uint64_t hash_listed = 0;  // files in the hash list (options.hash_list)
    // With a filter that selected nothing: which of its parts matched some record (and OUT was not
    // created: nothing is written when nothing matches).
    FilterTally filter_tally;
};

// Findings (extract.*, blob.*) go to `sink`. An error only when the run cannot go on: OUT cannot be
// created, the disk refuses a write (Io), or `cancel` was set (Interrupted; nothing partial is left
// under a real name). `records` is gone over twice (sizes, then files) and never gathered, so with
// StreamedRecords memory stays flat whatever the size of the index.
Result<ExtractSummary> extract_backup(const FileSystem& file_system, const Backup& backup,
                                      const RecordSource& records, const fs::path& out,
                                      const ExtractOptions& options, FindingSink& sink);
// The same over a gathered index.
Result<ExtractSummary> extract_backup(const FileSystem& file_system, const Backup& backup,
                                      const ManifestIndex& index, const fs::path& out,
                                      const ExtractOptions& options, FindingSink& sink);

}  // namespace bkcheck
