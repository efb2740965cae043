// Manifest.db reading (format.md §3, §8). Reading never changes the backup, and reads it only
// through the FileSystem seam (file_system_vfs.h): the file is opened with immutable=1 (which also
// ignores any -wal), or, when a non-empty -wal holds committed rows, with the -wal applied in
// memory. Images already in memory are opened with sqlite3_deserialize, with header bytes 18-19 set
// to 1, since a WAL-mode image cannot be.
#include "manifest_db.h"

#include "bkcheck/path_text.h"
#include "decrypting_source.h"
#include "file_system_vfs.h"
#include "manifest_db_image.h"
#include "mbfile.h"
#include "sqlite_handle.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <system_error>
#include <thread>

namespace bkcheck {
namespace {

using detail::k_manifest_schema;
using detail::last_error;
using detail::open_manifest_image_in_place;
using detail::open_sqlite;
using detail::open_with_wal;
using detail::prepare;
using detail::SqliteDb;

constexpr std::size_t k_max_integrity_lines = 20;

// The one database a FileSystemVfs serves, read as it is: no locking, any -wal ignored.
const std::string k_immutable_uri =
    std::string("file:") + detail::FileSystemVfs::k_database_name + "?immutable=1";

Status check_schema(sqlite3* db, ManifestIndex& index)
{
    auto statement =
        prepare(db, "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid");
    if (!statement)
        return make_error(ErrorCode::Corrupt, "", "cannot read the schema: " + last_error(db));
    std::vector<std::string> found;
    int rc;
    while ((rc = sqlite3_step(statement.get())) == SQLITE_ROW) {
        const unsigned char* text = sqlite3_column_text(statement.get(), 0);
        found.emplace_back(text == nullptr ? "" : reinterpret_cast<const char*>(text));
    }
    if (rc != SQLITE_DONE)
        return make_error(ErrorCode::Corrupt, "", "cannot read the schema: " + last_error(db));
    bool has_files = false;
    for (const std::string& sql : found)
        has_files = has_files || sql.rfind("CREATE TABLE Files ", 0) == 0;
    if (!has_files)
        return make_error(ErrorCode::Corrupt, "", "not a backup index: it has no Files table");
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
    auto statement = prepare(
        db, options.full_integrity_check ? "PRAGMA integrity_check(20)" : "PRAGMA quick_check(20)");
    if (!statement) {
        index.index_problems.push_back("integrity check cannot run: " + last_error(db));
        return;
    }
    int rc;
    std::size_t lines = 0;
    while ((rc = sqlite3_step(statement.get())) == SQLITE_ROW) {
        const unsigned char* text = sqlite3_column_text(statement.get(), 0);
        std::string line = text == nullptr ? "" : reinterpret_cast<const char*>(text);
        if (line != "ok" && lines++ < k_max_integrity_lines)
            index.index_problems.push_back("integrity check: " + line);
    }
    if (rc != SQLITE_DONE)
        index.index_problems.push_back("integrity check stopped: " + last_error(db));
}

void assign_text(sqlite3_stmt* statement, int column, std::string& out)
{
    const unsigned char* text = sqlite3_column_text(statement, column);
    if (text == nullptr) {
        out.clear();
    } else {
        out.assign(reinterpret_cast<const char*>(text),
                   static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
    }
}

// The five columns every query of the Files table selects (fileID, domain, relativePath, flags,
// file), into `row`: its strings and buffer are reused, so a scan allocates only as rows grow.
void read_row(sqlite3_stmt* statement, ManifestRow& row)
{
    assign_text(statement, 0, row.file_id);
    assign_text(statement, 1, row.domain);
    assign_text(statement, 2, row.relative_path);
    row.flags = sqlite3_column_int64(statement, 3);
    const auto* blob = static_cast<const std::uint8_t*>(sqlite3_column_blob(statement, 4));
    row.file.assign(blob, blob + (blob == nullptr ? 0 : sqlite3_column_bytes(statement, 4)));
}

// The number of rows as SQLite counts them for `SELECT count(*)`: through the smallest index (the
// flags, a few bytes per row), not the table. Nothing when it cannot be counted.
void hint_row_count(sqlite3* db, const RowCountHint& rows_hint)
{
    if (!rows_hint) return;
    auto statement = prepare(db, "SELECT count(*) FROM Files");
    if (!statement || sqlite3_step(statement.get()) != SQLITE_ROW) return;
    sqlite3_int64 rows = sqlite3_column_int64(statement.get(), 0);
    if (rows > 0) rows_hint(static_cast<std::uint64_t>(rows));
}

// Steps through Files once, refilling one ManifestRow (its strings keep their capacity), so a
// million-row index costs one row's memory here. Stops early when `visit` returns false.
void stream_rows(sqlite3* db, ManifestIndex& index, const ManifestRowVisitor& visit)
{
    auto statement = prepare(db, "SELECT fileID, domain, relativePath, flags, file FROM Files");
    if (!statement) {
        index.index_problems.push_back("the Files table cannot be read: " + last_error(db));
        return;
    }
    ManifestRow row;
    std::uint64_t rows = 0;
    int rc;
    while ((rc = sqlite3_step(statement.get())) == SQLITE_ROW) {
        read_row(statement.get(), row);
        ++rows;
        if (!visit(row)) return;
    }
    if (rc != SQLITE_DONE) {
        index.index_problems.push_back("reading stopped after " + std::to_string(rows) +
                                       " rows: " + last_error(db));
    }
}

// A connection through a FileSystemVfs of its own (the connection closes before the VFS goes).
struct VfsConnection {
    std::unique_ptr<detail::FileSystemVfs> vfs;
    SqliteDb db;
};

// Opens one more connection to the database being streamed, for the integrity check. Empty where
// there is none to open: an image in memory, or a -wal applied to a private copy.
using OpenAnother = std::function<Result<VfsConnection>()>;

// Joins a thread however the scope is left (a visitor may throw), so it never outlives what it
// uses.
struct JoinOnExit {
    std::thread& thread;
    ~JoinOnExit()
    {
        if (thread.joinable()) thread.join();
    }
};

// The integrity check and the row scan each read every page of the database. Where a second
// connection can be opened, the check runs on it, on a thread of its own, while the rows stream on
// this one, so the two reads overlap instead of following each other (and the workers decoding the
// rows start at once instead of after the check). The check is the same check, run to its end
// either way, and its lines keep their place among the problems (after the schema's, before where
// reading stopped), so what is reported does not depend on which way it ran.
Result<ManifestIndex> stream_open_sqlite(sqlite3* db, std::string_view path,
                                         const ManifestDbOptions& options,
                                         const ManifestRowVisitor& visit,
                                         const RowCountHint& rows_hint = {},
                                         const OpenAnother& open_another = {})
{
    ManifestIndex index;
    index.format = IndexFormat::ManifestDb;
    Status schema = check_schema(db, index);
    if (!schema) return make_error(ErrorCode::Corrupt, std::string(path), schema.error().message);
    hint_row_count(db, rows_hint);
    std::optional<VfsConnection> checker;
    // Two connections on two threads need a SQLite built thread-safe (every packaged one is).
    if (open_another && sqlite3_threadsafe() != 0) {
        auto opened = open_another();
        if (opened) checker = std::move(*opened);
    }
    ManifestIndex checked;  // the check's lines, when it runs on `checker`
    std::thread thread;
    if (checker) {
        try {
            thread = std::thread([&] { check_integrity(checker->db.get(), options, checked); });
        } catch (const std::system_error&) {
            checker.reset();  // no thread to be had: one after the other, as on one connection
        }
    }
    if (!checker) {
        check_integrity(db, options, index);
        stream_rows(db, index, visit);
        return index;
    }
    ManifestIndex streamed;
    {
        JoinOnExit join{thread};
        stream_rows(db, streamed, visit);
    }
    for (std::string& problem : checked.index_problems)
        index.index_problems.push_back(std::move(problem));
    for (std::string& problem : streamed.index_problems)
        index.index_problems.push_back(std::move(problem));
    return index;
}

// The rows `collect_rows_into` gathered, with what streaming found about the index as a whole.
Result<ManifestIndex> collected(Result<ManifestIndex> streamed, ManifestIndex rows)
{
    if (!streamed) return streamed;
    rows.format = streamed->format;
    rows.index_problems = std::move(streamed->index_problems);
    return rows;
}

// `database` as it is (immutable=1) when `wal` is null, else with `wal` applied (open_with_wal).
Result<VfsConnection> open_through_vfs(std::unique_ptr<detail::DatabaseSource> database,
                                       std::unique_ptr<detail::DatabaseSource> wal,
                                       std::string_view path, std::string_view failure)
{
    const bool applies_wal = wal != nullptr;
    auto vfs = detail::FileSystemVfs::create(std::move(database), std::move(wal));
    if (!vfs) return std::move(vfs).error();
    auto db = applies_wal ? open_with_wal(**vfs, path)
                          : open_sqlite(k_immutable_uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
                                        path, (*vfs)->name(), failure);
    if (!db) return std::move(db).error();
    // Read-only: SQLite may take pages in place from the source (FileSystemVfs's fetch) instead of
    // copying each into its cache. The size is SQLite's largest; a source that does not serve
    // pages in place (a decrypting one) declines each fetch and SQLite reads the page as before.
    if (!applies_wal) BK_TRY(detail::exec_sql(db->get(), "PRAGMA mmap_size=2147418112"));
    return VfsConnection{std::move(*vfs), std::move(*db)};
}

bool has_content(const FileSystem& file_system, const fs::path& file)
{
    auto stat = file_system.stat(file);
    return stat && stat->type == EntryType::File && stat->size > 0;
}

}  // namespace

ManifestRowVisitor decode_rows(std::function<void(FileRecord&&)> record,
                               std::function<void(UnreadableRecord&&)> unreadable)
{
    return
        [record = std::move(record), unreadable = std::move(unreadable)](const ManifestRow& row) {
            FileRecord decoded_record;
            Status decoded = decode_manifest_row(row, decoded_record);
            if (decoded) {
                record(std::move(decoded_record));
            } else {
                unreadable({row.file_id, row.domain, row.relative_path, decoded.error().message});
            }
            return true;
        };
}

ManifestRowVisitor collect_rows_into(ManifestIndex& index)
{
    return decode_rows(
        [&index](FileRecord&& record) { index.records.push_back(std::move(record)); },
        [&index](UnreadableRecord&& bad) { index.unreadable.push_back(std::move(bad)); });
}

bool starts_with_sqlite_magic(const FileSystem& file_system, const fs::path& path)
{
    auto reader = file_system.open_read(path);
    if (!reader) return false;
    std::uint8_t header[16] = {};
    auto count = (*reader)->read(header);
    return count && *count == 16 &&
           std::memcmp(header, "SQLite format 3", 16) == 0;  // 15 letters + NUL
}

Status decode_manifest_row(const ManifestRow& row, FileRecord& record)
{
    record.file_id = row.file_id;
    record.domain = row.domain;
    record.relative_path = row.relative_path;
    record.flags = row.flags;
    record.kind = kind_from_flags(row.flags);
    if (row.file.empty())
        return make_error(ErrorCode::Corrupt, "", "MBFile record: the file column is empty");
    Status decoded = decode_mbfile(row.file, record);
    if (!decoded)
        return make_error(ErrorCode::Corrupt, "", "MBFile record: " + decoded.error().message);
    return Ok{};
}

Result<ManifestIndex> stream_manifest_db(const FileSystem& file_system, const fs::path& db_path,
                                         const ManifestDbOptions& options,
                                         const ManifestRowVisitor& visit,
                                         const RowCountHint& rows_hint)
{
    // Regular files only: SQLite would block for ever reading a FIFO planted as Manifest.db.
    auto database = detail::file_source(file_system, db_path);
    if (!database) {
        if (database.error().code == ErrorCode::NotFound) {
            return make_error(ErrorCode::NotFound, path_text(db_path), "does not exist");
        }
        return std::move(database).error();
    }
    fs::path wal_path = path_text(db_path) + "-wal";
    // Committed rows in the -wal are part of the index, but immutable=1 would ignore them: SQLite
    // then reads both through the VFS, which keeps anything it would write in memory.
    std::unique_ptr<detail::DatabaseSource> wal;
    if (has_content(file_system, wal_path)) {
        auto opened = detail::file_source(file_system, wal_path);
        if (!opened) return std::move(opened).error();
        wal = std::move(*opened);
    }
    const bool applies_wal = wal != nullptr;
    auto connection =
        open_through_vfs(std::move(*database), std::move(wal), path_text(db_path), "cannot open");
    if (!connection) return std::move(connection).error();
    // The file as it is can be opened twice; a -wal applied to a private copy cannot.
    OpenAnother another;
    if (!applies_wal) {
        another = [&]() -> Result<VfsConnection> {
            auto again = detail::file_source(file_system, db_path);
            if (!again) return std::move(again).error();
            return open_through_vfs(std::move(*again), nullptr, path_text(db_path), "cannot open");
        };
    }
    return stream_open_sqlite(connection->db.get(), path_text(db_path), options, visit, rows_hint,
                              another);
}

Result<ManifestIndex> stream_manifest_db_image(Bytes image, std::string_view path,
                                               const ManifestDbOptions& options,
                                               const ManifestRowVisitor& visit)
{
    // `image` outlives `db` (declared after it), so SQLite can read it where it is: no second copy
    // of a decrypted index that may be a gigabyte.
    auto db = open_manifest_image_in_place(image, path);
    if (!db) return std::move(db).error();
    return stream_open_sqlite(db->get(), path, options, visit);
}

Result<ManifestIndex> stream_encrypted_manifest_db(const FileSystem& file_system,
                                                   const fs::path& db_path, ByteView key,
                                                   const ManifestDbOptions& options,
                                                   const ManifestRowVisitor& visit,
                                                   const RowCountHint& rows_hint)
{
    auto source = detail::decrypting_source(file_system, db_path, key);
    if (!source) return std::move(source).error();
    auto connection = open_through_vfs(std::move(*source), nullptr, path_text(db_path),
                                       "decrypts but cannot be opened");
    if (!connection) return std::move(connection).error();
    OpenAnother another = [&]() -> Result<VfsConnection> {
        auto again = detail::decrypting_source(file_system, db_path, key);
        if (!again) return std::move(again).error();
        return open_through_vfs(std::move(*again), nullptr, path_text(db_path),
                                "decrypts but cannot be opened");
    };
    auto index = stream_open_sqlite(connection->db.get(), path_text(db_path), options, visit,
                                    rows_hint, another);
    if (!index)
        return make_error(index.error().code, path_text(db_path),
                          "decrypts but " + index.error().message);
    return index;
}

Result<std::optional<ManifestRow>> find_manifest_row(const FileSystem& file_system,
                                                     const fs::path& db_path, ByteView key,
                                                     std::string_view file_id)
{
    auto source = key.empty() ? detail::file_source(file_system, db_path)
                              : detail::decrypting_source(file_system, db_path, key);
    if (!source) return std::move(source).error();
    auto connection =
        open_through_vfs(std::move(*source), nullptr, path_text(db_path), "cannot be opened");
    if (!connection) return std::move(connection).error();
    sqlite3* db = connection->db.get();
    auto statement =
        prepare(db, "SELECT fileID, domain, relativePath, flags, file FROM Files WHERE fileID = ?");
    if (!statement) return make_error(ErrorCode::Corrupt, path_text(db_path), last_error(db));
    sqlite3_bind_text(statement.get(), 1, file_id.data(), static_cast<int>(file_id.size()),
                      SQLITE_TRANSIENT);
    int rc = sqlite3_step(statement.get());
    if (rc == SQLITE_DONE) return std::optional<ManifestRow>();
    if (rc != SQLITE_ROW) return make_error(ErrorCode::Corrupt, path_text(db_path), last_error(db));
    ManifestRow row;
    read_row(statement.get(), row);
    return std::optional<ManifestRow>(std::move(row));
}

Result<ManifestIndex> read_manifest_db(const FileSystem& file_system, const fs::path& db_path,
                                       const ManifestDbOptions& options)
{
    ManifestIndex rows;
    auto streamed = stream_manifest_db(file_system, db_path, options, collect_rows_into(rows));
    return collected(std::move(streamed), std::move(rows));
}

Result<ManifestIndex> read_manifest_db_image(Bytes image, std::string_view path,
                                             const ManifestDbOptions& options)
{
    ManifestIndex rows;
    auto streamed =
        stream_manifest_db_image(std::move(image), path, options, collect_rows_into(rows));
    return collected(std::move(streamed), std::move(rows));
}

}  // namespace bkcheck
