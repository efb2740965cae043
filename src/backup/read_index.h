// The index step shared by verify and every verb that lists records: stream Manifest.db or
// Manifest.mbdb row by row (read_index.cpp). In the backup layer, below verify, so backup_index.cpp
// (ls, usage, extract, export) reads the index the same way verify does without reaching up.
#pragma once

#include "bkcheck/backup.h"
#include "bkcheck/findings.h"
#include "bkcheck/manifest.h"
#include "crypto.h"
#include "keybag.h"
#include "manifest_db.h"

#include <functional>

namespace bkcheck::detail {

// Reads Manifest.db / Manifest.mbdb (an encrypted Manifest.db is decrypted in
// memory with `keys`, when given) and hands every row to `visit` as it is read; false (with
// findings) when the index cannot be read at all. Index-wide problems become manifest.* findings.
struct IndexVisitor {
    ManifestRowVisitor row;  // Manifest.db rows, MBFile still encoded (stream_manifest_db)
    std::function<bool(FileRecord&&)> record;  // Manifest.mbdb records, already decoded
    std::function<void(const UnreadableRecord&)> unreadable;  // mbdb records that do not decode
    RowCountHint expected_rows;  // Manifest.db: its row count, before the rows (may be empty)
};
// Whether the index was read; an Error (LocalFault) only when this machine, not the backup, kept it
// from being read (no room in TMPDIR for the private copy a -wal needs).
Result<bool> read_index(const FileSystem& file_system, const Backup& backup,
                        const ManifestDbOptions& options, const ClassKeys* keys, FindingSink& sink,
                        const IndexVisitor& visit);

}  // namespace bkcheck::detail
