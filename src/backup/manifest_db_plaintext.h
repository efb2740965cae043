// The plaintext of a backup's Manifest.db in memory, for repair, which rebuilds the index from it.
#pragma once

#include "bkcheck/backup.h"

#include <optional>

namespace bkcheck {

// The plaintext image of a Manifest.db backup's index, held in memory: decrypted with the class
// keys when the backup is encrypted (`key` is then the key it was encrypted with, so a rebuilt
// index can be encrypted alike). WrongPassword when it is encrypted and `keys` is null.
struct ManifestDbPlaintext {
    Bytes image;
    std::optional<SecretBytes> key;
};
Result<ManifestDbPlaintext> load_manifest_db_plaintext(const FileSystem& file_system,
                                                       const Backup& backup, const ClassKeys* keys);

}  // namespace bkcheck
