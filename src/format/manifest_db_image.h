// Pieces shared by Manifest.db reading (manifest_db.cpp) and rebuilding (manifest_db_rebuild.cpp).
#pragma once

#include "bkcheck/status.h"
#include "bytes.h"
#include "file_system_vfs.h"
#include "sqlite_handle.h"

#include <string>
#include <string_view>

namespace bkcheck::detail {

// The exact schema Apple writes (format.md §3.2), in sqlite_master order.
// One statement per line: a split literal reads as a missing comma to clang.
// clang-format off
inline constexpr const char* k_manifest_schema[] = {
    "CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, flags INTEGER, file BLOB)",
    "CREATE INDEX FilesDomainIdx ON Files(domain)",
    "CREATE INDEX FilesRelativePathIdx ON Files(relativePath)",
    "CREATE INDEX FilesFlagsIdx ON Files(flags)",
    "CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB)",
};
// clang-format on

// Opens `name` with `flags` (through the VFS named `vfs`, when given); an Io error naming `path`,
// saying `failure` and why, when SQLite refuses. The connection has no mutex of its own
// (SQLITE_OPEN_NOMUTEX): use it on one thread at a time.
Result<SqliteDb> open_sqlite(const std::string& name, int flags, std::string_view path,
                             const char* vfs = nullptr, std::string_view failure = "cannot open");

// Opens the database of `vfs` with its -wal applied, read-write but with nothing written anywhere:
// exclusive locking keeps the wal-index in SQLite's heap (no -shm), whatever SQLite writes stays
// in the VFS's memory, and no checkpoint runs on close. An Io error naming `path` when SQLite
// refuses.
Result<SqliteDb> open_with_wal(const FileSystemVfs& vfs, std::string_view path);

// Runs `sql`; an Io error naming Manifest.db and the statement when SQLite refuses.
Status exec_sql(sqlite3* db, const char* sql);

// Opens a plaintext database image from memory, read-only (sqlite3_deserialize). Header bytes 18-19
// are set to 1 first: a WAL-mode image cannot be deserialized. Corrupt when it is not SQLite.
Result<SqliteDb> open_manifest_image(Bytes image, std::string_view path);
// Same without copying: SQLite reads `image` where it is (patching bytes 18-19), so `image` must
// outlive the returned handle. Halves peak memory for a large decrypted Manifest.db.
Result<SqliteDb> open_manifest_image_in_place(Bytes& image, std::string_view path);

}  // namespace bkcheck::detail
