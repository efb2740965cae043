// Manifest.db reading and writing (format.md §3, §8). Reading never changes the backup: the file is
// opened with immutable=1 (which also ignores any -wal), or, when a non-empty -wal holds committed
// rows, from a private copy of db+wal in a fresh temporary folder. Decrypted images are opened from
// memory (sqlite3_deserialize) with header bytes 18-19 set to 1, since a WAL-mode image cannot be.
#include "bkcheck/manifest_db.h"

#include "bkcheck/mbfile.h"
#include "internal/manifest_db_image.h"
#include "internal/sqlite_handle.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <system_error>

namespace bkcheck {
namespace {

using detail::last_error;
using detail::prepare;
using detail::k_manifest_schema;
using detail::open_manifest_image;
using detail::open_sqlite;
using detail::PrivateDir;
using detail::SqliteDb;

constexpr std::size_t k_max_integrity_lines = 20;

std::string uri_for(const fs::path& path)
{
    std::string uri = "file:";
    for (unsigned char c : path.string()) {
        if (std::isalnum(c) || c == '/' || c == '.' || c == '-' || c == '_' || c == '~') {
            uri.push_back(static_cast<char>(c));
        } else {
            static constexpr char k_hex[] = "0123456789ABCDEF";
            uri += '%';
            uri += k_hex[c >> 4];
            uri += k_hex[c & 0xF];
        }
    }
    return uri + "?immutable=1";
}

Status check_schema(sqlite3* db, ManifestIndex& index)
{
    auto statement = prepare(db, "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid");
    if (!statement) return make_error(ErrorCode::Corrupt, "", "cannot read the schema: " + last_error(db));
    std::vector<std::string> found;
    int rc;
    while ((rc = sqlite3_step(statement.get())) == SQLITE_ROW) {
        const unsigned char* text = sqlite3_column_text(statement.get(), 0);
        found.emplace_back(text == nullptr ? "" : reinterpret_cast<const char*>(text));
    }
    if (rc != SQLITE_DONE) return make_error(ErrorCode::Corrupt, "", "cannot read the schema: " + last_error(db));
    bool has_files = false;
    for (const std::string& sql : found) has_files = has_files || sql.rfind("CREATE TABLE Files ", 0) == 0;
    if (!has_files) return make_error(ErrorCode::Corrupt, "", "not a backup index: it has no Files table");
    std::vector<std::string> expected(std::begin(k_manifest_schema), std::end(k_manifest_schema));
    if (found != expected) {
        for (const std::string& sql : found) {
            if (std::find(expected.begin(), expected.end(), sql) == expected.end()) {
                index.index_problems.push_back("unexpected schema: " + sql);
            }
        }
        for (const std::string& sql : expected) {
            if (std::find(found.begin(), found.end(), sql) == found.end()) {
                index.index_problems.push_back("schema lacks: " + sql);
            }
        }
    }
    return Ok{};
}

void check_integrity(sqlite3* db, const ManifestDbOptions& options, ManifestIndex& index)
{
    auto statement = prepare(db, options.full_integrity_check ? "PRAGMA integrity_check(20)" : "PRAGMA quick_check(20)");
    if (!statement) {
        index.index_problems.push_back("integrity check cannot run: " + last_error(db));
        return;
    }
    int rc;
    std::size_t lines = 0;
    while ((rc = sqlite3_step(statement.get())) == SQLITE_ROW) {
        const unsigned char* text = sqlite3_column_text(statement.get(), 0);
        std::string line = text == nullptr ? "" : reinterpret_cast<const char*>(text);
        if (line != "ok" && lines++ < k_max_integrity_lines) index.index_problems.push_back("integrity check: " + line);
    }
    if (rc != SQLITE_DONE) index.index_problems.push_back("integrity check stopped: " + last_error(db));
}

std::string column_text(sqlite3_stmt* statement, int column)
{
    const unsigned char* text = sqlite3_column_text(statement, column);
    return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text),
                                                         static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
}

void read_rows(sqlite3* db, ManifestIndex& index)
{
    auto statement = prepare(db, "SELECT fileID, domain, relativePath, flags, file FROM Files");
    if (!statement) {
        index.index_problems.push_back("the Files table cannot be read: " + last_error(db));
        return;
    }
    int rc;
    while ((rc = sqlite3_step(statement.get())) == SQLITE_ROW) {
        sqlite3_stmt* row = statement.get();
        FileRecord record;
        record.file_id = column_text(row, 0);
        record.domain = column_text(row, 1);
        record.relative_path = column_text(row, 2);
        record.flags = sqlite3_column_int64(row, 3);
        record.kind = kind_from_flags(record.flags);
        const void* blob = sqlite3_column_blob(row, 4);
        auto length = static_cast<std::size_t>(sqlite3_column_bytes(row, 4));
        Status decoded = blob == nullptr
                             ? Status(make_error(ErrorCode::Corrupt, "", "the file column is empty"))
                             : decode_mbfile(ByteView(static_cast<const std::uint8_t*>(blob), length), record);
        if (!decoded) {
            index.unreadable.push_back({record.file_id, record.domain, record.relative_path,
                                        "MBFile record: " + decoded.error().message});
            continue;
        }
        index.records.push_back(std::move(record));
    }
    if (rc != SQLITE_DONE) {
        index.index_problems.push_back("reading stopped after " + std::to_string(index.records.size()) +
                                       " rows: " + last_error(db));
    }
}

Result<ManifestIndex> read_open_sqlite(sqlite3* db, std::string_view path, const ManifestDbOptions& options)
{
    ManifestIndex index;
    index.format = IndexFormat::ManifestDb;
    Status schema = check_schema(db, index);
    if (!schema) return make_error(ErrorCode::Corrupt, std::string(path), schema.error().message);
    check_integrity(db, options, index);
    read_rows(db, index);
    return index;
}

bool has_content(const fs::path& file)
{
    std::error_code error;
    auto size = fs::file_size(file, error);
    return !error && size > 0;
}

}  // namespace

bool starts_with_sqlite_magic(const FileSystem& file_system, const fs::path& path)
{
    auto reader = file_system.open_read(path);
    if (!reader) return false;
    std::uint8_t header[16] = {};
    auto count = (*reader)->read(header);
    return count && *count == 16 && std::memcmp(header, "SQLite format 3", 16) == 0;  // 15 letters + NUL
}

Result<ManifestIndex> read_manifest_db(const fs::path& db_path, const ManifestDbOptions& options)
{
    std::error_code error;
    if (!fs::exists(db_path, error)) return make_error(ErrorCode::NotFound, db_path.string(), "does not exist");
    fs::path wal_path = db_path.string() + "-wal";
    if (!has_content(wal_path)) {
        auto db = open_sqlite(uri_for(db_path), SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, db_path.string());
        if (!db) return std::move(db).error();
        return read_open_sqlite(db->get(), db_path.string(), options);
    }
    // Committed rows in the -wal are part of the index, but immutable=1 would ignore them and a
    // normal open would write beside the backup: read a private copy instead.
    PrivateDir private_dir;
    if (private_dir.path().empty()) return make_error(ErrorCode::Io, db_path.string(), "cannot create a temporary folder");
    fs::path copy = private_dir.path() / "Manifest.db";
    fs::copy_file(db_path, copy, error);
    if (!error) fs::copy_file(wal_path, copy.string() + "-wal", error);
    if (error) return make_error(ErrorCode::Io, db_path.string(), "cannot copy for reading: " + error.message());
    auto db = open_sqlite(copy.string(), SQLITE_OPEN_READWRITE, db_path.string());
    if (!db) return std::move(db).error();
    return read_open_sqlite(db->get(), db_path.string(), options);
}

Result<ManifestIndex> read_manifest_db_image(Bytes image, std::string_view path, const ManifestDbOptions& options)
{
    auto db = open_manifest_image(std::move(image), path);
    if (!db) return std::move(db).error();
    return read_open_sqlite(db->get(), path, options);
}

}  // namespace bkcheck
