// The records of a backup for the verbs that read its content (ls, usage, extract, export): the same
// reader verify uses, including an encrypted Manifest.db decrypted in memory with the class keys.
#pragma once

#include "bkcheck/backup.h"
#include "bkcheck/findings.h"
#include "bkcheck/keybag.h"
#include "bkcheck/manifest.h"

#include <functional>

namespace bkcheck {

// Problems that still let rows be read go to `sink` (manifest.*). An error when there is no index to
// read: Unsupported for iOS <= 4, Corrupt naming the reason (missing, damaged, encrypted without keys).
Result<ManifestIndex> load_backup_index(const FileSystem& file_system, const Backup& backup, const ClassKeys* keys,
                                        FindingSink& sink);

// The same records, handed to `record` one by one as the index is read instead of gathered, so
// memory does not grow with the index (usage of a million-row backup: 444 MB gathered). Rows whose
// record cannot be decoded go to `unreadable`. Same errors and findings as load_backup_index; when
// it fails part-way, `record` has seen the rows before the damage.
struct RecordVisitor {
    std::function<void(FileRecord&&)> record;
    std::function<void(const UnreadableRecord&)> unreadable;
};
Status for_each_backup_record(const FileSystem& file_system, const Backup& backup, const ClassKeys* keys,
                              FindingSink& sink, const RecordVisitor& visitor);

// Whether the records' blobs need the class keys to be read (any record carries an EncryptionKey).
bool index_needs_keys(const ManifestIndex& index);

}  // namespace bkcheck
