#include "manifest_db_image.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <system_error>

namespace bkcheck::detail {

Result<SqliteDb> open_sqlite(const std::string& name, int flags, std::string_view path)
{
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(name.c_str(), &raw, flags, nullptr);
    SqliteDb db(raw);
    if (rc != SQLITE_OK)
        return make_error(ErrorCode::Io, std::string(path), "cannot open: " + last_error(db.get()));
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

PrivateDir::PrivateDir()
{
    std::error_code error;
    std::filesystem::path temp = std::filesystem::temp_directory_path(error);
    if (error) {
        // Never a folder relative to the working directory (which may be the backup) instead.
        const char* variable = std::getenv("TMPDIR");
        m_tried = variable != nullptr ? variable : "";
        m_problem = error.message();
        return;
    }
    m_tried = temp;
    std::string pattern = (temp / "bkcheck-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) {
        m_path = pattern;  // mkdtemp creates it 0700
    } else {
        m_problem = std::strerror(errno);
    }
}

PrivateDir::~PrivateDir()
{
    std::error_code ignored;
    if (!m_path.empty()) std::filesystem::remove_all(m_path, ignored);
}

}  // namespace bkcheck::detail
