// The records of a backup for the verbs that read its content (ls, usage, extract, export): the same
// reader verify uses, including an encrypted Manifest.db decrypted in memory with the class keys.
#pragma once

#include "bkcheck/backup.h"
#include "bkcheck/findings.h"
#include "bkcheck/keybag.h"
#include "bkcheck/manifest.h"

namespace bkcheck {

// Problems that still let rows be read go to `sink` (manifest.*). An error when there is no index to
// read: Unsupported for iOS <= 4, Corrupt naming the reason (missing, damaged, encrypted without keys).
Result<ManifestIndex> load_backup_index(const FileSystem& file_system, const Backup& backup, const ClassKeys* keys,
                                        FindingSink& sink);

// Whether the records' blobs need the class keys to be read (any record carries an EncryptionKey).
bool index_needs_keys(const ManifestIndex& index);

}  // namespace bkcheck
