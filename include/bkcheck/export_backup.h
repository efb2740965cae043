// bkcheck export: a complete unencrypted copy of a backup, in the same layout, that a restore (and
// bkcheck verify) accepts: decrypted blobs, an index without EncryptionKeys, Manifest.plist with
// IsEncrypted false and no keybag or ManifestKey, Info.plist and Status.plist copied (Status.plist
// last, so an interrupted export is not a finished backup). The user asked for plaintext, so it is
// written to disk here, and only here.
#pragma once

#include "bkcheck/backup.h"
#include "bkcheck/backup_index.h"
#include "bkcheck/extract.h"
#include "bkcheck/file_system.h"
#include "bkcheck/findings.h"
#include "bkcheck/manifest.h"
#include "bkcheck/status.h"

#include <atomic>
#include <cstdint>

namespace bkcheck {

struct ExportOptions : OperationContext {
    bool keep_damaged = false;  // export damaged files (with their record) instead of dropping them
    // The rules the export folder's own name follows (blobs are named by their fileID, 40 lowercase
    // hex digits that every disk takes as they are, so no record's name is ever changed).
    OutputNames names = OutputNames::Native;
    const ClassKeys* keys = nullptr;
    // Read the index once more first, to total the sizes for `progress` (only worth it when a
    // progress display shows them).
    bool total_for_progress = false;
    // What writes OUT (tests inject faults here); null: real_writable_file_system().
    WritableFileSystem* writer = nullptr;
    // As ExtractOptions::hash_list: every file of the export (blobs, index, plists), paths relative
    // to OUT (so they begin with the exported folder's name). An existing file is replaced only
    // when it is an earlier hash list.
    fs::path hash_list;
};

struct ExportSummary {
    fs::path folder;            // OUT/<the backup's folder name>
    std::uint64_t records = 0;  // records in the exported index
    std::uint64_t files = 0;    // blobs written
    std::uint64_t bytes = 0;    // plaintext bytes written
    std::uint64_t skipped = 0;  // records left out (each has a finding)
    std::uint64_t denied =
        0;  // records left out because this user may not read their blob (each has
            // an access.denied finding): the export lacks them; not in skipped
    std::uint64_t unreadable_rows =
        0;  // rows of the source index that could not be decoded (not exported)
    std::uint64_t sizes_fixed = 0;  // stale recorded sizes replaced by the real plaintext length
    std::uint64_t hash_listed = 0;  // files in the hash list (options.hash_list)
};

// Writes into OUT/<folder name>, which must not exist yet. An error when the run cannot go on (the
// folder exists, a write fails, cancel); the partial folder then has no Status.plist, so neither
// bkcheck nor a restore takes it for a finished backup. The records are taken one at a time and
// not kept: the new index is built as the blobs are written, so memory grows only with that index
// (about the size of the file it becomes).
Result<ExportSummary> export_backup(const FileSystem& file_system, const Backup& backup,
                                    const RecordSource& records, const fs::path& out,
                                    const ExportOptions& options, FindingSink& sink);
// The same over a gathered index.
Result<ExportSummary> export_backup(const FileSystem& file_system, const Backup& backup,
                                    const ManifestIndex& index, const fs::path& out,
                                    const ExportOptions& options, FindingSink& sink);

}  // namespace bkcheck
