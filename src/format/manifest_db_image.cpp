#include "manifest_db_image.h"

#include <cstring>

namespace bkcheck::detail {

Result<SqliteDb> open_sqlite(const std::string& name, int flags, std::string_view path,
                             const char* vfs, std::string_view failure)
{
    sqlite3* raw = nullptr;
    // No mutex per connection: each connection bkcheck opens is used by one thread at a time (the
    // integrity check's own connection is handed to its thread and used there only). In SQLite's
    // default serialized mode, every sqlite3_column_* call locks and unlocks the connection's
    // mutex: 15 % of the CPU of the thread that streams the index, the one every row goes through.
    int rc = sqlite3_open_v2(name.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, vfs);
    SqliteDb db(raw);
    if (rc != SQLITE_OK) {
        return make_error(ErrorCode::Io, std::string(path),
                          std::string(failure) + ": " + last_error(db.get()));
    }
    return db;
}

Result<SqliteDb> open_with_wal(const FileSystemVfs& vfs, std::string_view path)
{
    auto db = open_sqlite(FileSystemVfs::k_database_name, SQLITE_OPEN_READWRITE, path, vfs.name());
    if (!db) return db;
    // Before the first read: the VFS has no shared memory, so SQLite may use WAL only this way.
    BK_TRY(exec_sql(db->get(), "PRAGMA locking_mode=EXCLUSIVE"));
    sqlite3_db_config(db->get(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    return db;
}

Status exec_sql(sqlite3* db, const char* sql)
{
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) == SQLITE_OK) return Ok{};
    std::string text = message == nullptr ? last_error(db) : message;
    sqlite3_free(message);
    return make_error(ErrorCode::Io, "Manifest.db", std::string(sql).substr(0, 40) + ": " + text);
}

namespace {

// Checks the magic, patches bytes 18-19 and hands the image to SQLite: as a copy SQLite owns, or
// (copy false) the caller's buffer itself, read-only.
Result<SqliteDb> deserialize_image(Bytes& image, std::string_view path, bool copy)
{
    if (image.size() < 100 || std::memcmp(image.data(), "SQLite format 3", 16) != 0) {
        return make_error(ErrorCode::Corrupt, std::string(path), "not a SQLite database");
    }
    image[18] = 1;  // legacy (rollback) journal: a WAL-mode image cannot be deserialized
    image[19] = 1;
    auto db = open_sqlite(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, path);
    if (!db) return std::move(db).error();
    unsigned char* memory = image.data();
    unsigned flags = SQLITE_DESERIALIZE_READONLY;
    if (copy) {
        memory = static_cast<unsigned char*>(sqlite3_malloc64(image.size()));
        if (memory == nullptr) return make_error(ErrorCode::Io, std::string(path), "out of memory");
        std::memcpy(memory, image.data(), image.size());
        flags |= SQLITE_DESERIALIZE_FREEONCLOSE;
    }
    int rc =
        sqlite3_deserialize(db->get(), "main", memory, static_cast<sqlite3_int64>(image.size()),
                            static_cast<sqlite3_int64>(image.size()), flags);
    if (rc != SQLITE_OK)
        return make_error(ErrorCode::Corrupt, std::string(path),
                          "cannot open: " + last_error(db->get()));
    return db;
}

}  // namespace

Result<SqliteDb> open_manifest_image(Bytes image, std::string_view path)
{
    return deserialize_image(image, path, true);
}

Result<SqliteDb> open_manifest_image_in_place(Bytes& image, std::string_view path)
{
    return deserialize_image(image, path, false);
}

}  // namespace bkcheck::detail
