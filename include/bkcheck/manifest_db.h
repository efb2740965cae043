// Manifest.db, the SQLite index of iOS 10+ backups (format.md §3). Never changes a byte on disk:
// the file is opened with immutable=1, or, when a non-empty -wal holds committed rows, from a private
// copy of db+wal in a fresh temporary folder; decrypted databases are opened from memory with
// sqlite3_deserialize after setting header bytes 18-19 to 1 (§3.1, §8).
#pragma once

#include "bkcheck/bytes.h"
#include "bkcheck/error.h"
#include "bkcheck/file_system.h"
#include "bkcheck/manifest.h"

namespace bkcheck {

struct ManifestDbOptions {
    // PRAGMA quick_check (O(N)) by default; integrity_check also cross-checks indexes (slower).
    bool full_integrity_check = false;
};

// Reads Manifest.db at `db_path` (and `db_path`-wal when non-empty). NotFound when absent; Corrupt
// when it is not a SQLite database or has no Files table. Rows whose `file` archive does not decode
// go to `unreadable`; integrity and schema problems go to `index_problems`.
Result<ManifestIndex> read_manifest_db(const fs::path& db_path, const ManifestDbOptions& options = {});

// Same, from a plaintext database image in memory (decrypted Manifest.db, fuzzing). `path` names it.
Result<ManifestIndex> read_manifest_db_image(Bytes image, std::string_view path,
                                             const ManifestDbOptions& options = {});

// Writes a new Manifest.db with Apple's exact schema and settings (WAL, auto_vacuum incremental,
// user_version 2, page size 4096) holding `records` (their MBFile archives built with encode_mbfile).
// Used by the test-data generator and by repair; the file must not exist yet.
Status write_manifest_db(const fs::path& db_path, const std::vector<FileRecord>& records);

}  // namespace bkcheck
