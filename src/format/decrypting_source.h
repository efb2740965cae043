// The plaintext of one encrypted Manifest.db (iOS >= 10.2: AES-256-CBC, zero IV, PKCS#7, format.md
// §5.4), for SQLite to read through a FileSystemVfs. CBC decrypts any block from itself and the
// ciphertext block before it, so each page SQLite asks for is read and decrypted on demand: neither
// the ciphertext nor the plaintext is ever held whole (a real index reaches 1.2 GB), and nothing is
// written anywhere.
#pragma once

#include "bkcheck/file_system.h"
#include "bkcheck/status.h"
#include "crypto.h"
#include "file_system_vfs.h"

#include <memory>

namespace bkcheck::detail {

// Opens `path` through `file_system` and checks its padding (Corrupt when invalid: damaged or
// truncated). With `rollback_header` (Manifest.db), page 1 reads with header bytes 18-19 set to 1:
// Apple's index is in WAL mode, and read as a rollback-journal database it needs no -wal (§3.1).
// Without it (any blob's plaintext, verify --deep), the bytes are exactly the plaintext.
Result<std::unique_ptr<DatabaseSource>> decrypting_source(const FileSystem& file_system,
                                                          const fs::path& path, ByteView key,
                                                          bool rollback_header = true);

}  // namespace bkcheck::detail
