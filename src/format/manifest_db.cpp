// Manifest.db reading and writing (format.md §3, §8). Reading never changes the backup: the file is
// opened with immutable=1 (which also ignores any -wal), or, when a non-empty -wal holds committed
// rows, from a private copy of db+wal in a fresh temporary folder. Decrypted images are opened from
// memory (sqlite3_deserialize) with header bytes 18-19 set to 1, since a WAL-mode image cannot be.
#include "manifest_db.h"

#include "decrypting_vfs.h"
#include "manifest_db_image.h"
#include "mbfile.h"
#include "open_regular_file.h"
#include "sqlite_handle.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <system_error>

namespace bkcheck {
namespace {

using detail::k_manifest_schema;
using detail::last_error;
using detail::open_manifest_image;
using detail::open_manifest_image_in_place;
using detail::open_sqlite;
using detail::prepare;
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
        sqlite3_stmt* step = statement.get();
        assign_text(step, 0, row.file_id);
        assign_text(step, 1, row.domain);
        assign_text(step, 2, row.relative_path);
        row.flags = sqlite3_column_int64(step, 3);
        const auto* blob = static_cast<const std::uint8_t*>(sqlite3_column_blob(step, 4));
        row.file.assign(blob, blob + (blob == nullptr ? 0 : sqlite3_column_bytes(step, 4)));
        ++rows;
        if (!visit(row)) return;
    }
    if (rc != SQLITE_DONE) {
        index.index_problems.push_back("reading stopped after " + std::to_string(rows) +
                                       " rows: " + last_error(db));
    }
}

Result<ManifestIndex> stream_open_sqlite(sqlite3* db, std::string_view path,
                                         const ManifestDbOptions& options,
                                         const ManifestRowVisitor& visit)
{
    ManifestIndex index;
    index.format = IndexFormat::ManifestDb;
    Status schema = check_schema(db, index);
    if (!schema) return make_error(ErrorCode::Corrupt, std::string(path), schema.error().message);
    check_integrity(db, options, index);
    stream_rows(db, index, visit);
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

std::uint64_t file_size_or_zero(const fs::path& file)
{
    std::error_code error;
    auto size = fs::file_size(file, error);
    return error ? 0 : static_cast<std::uint64_t>(size);
}

bool has_content(const fs::path& file)
{
    std::error_code error;
    auto size = fs::file_size(file, error);
    return !error && size > 0;
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

Result<ManifestIndex> stream_manifest_db(const fs::path& db_path, const ManifestDbOptions& options,
                                         const ManifestRowVisitor& visit)
{
    // SQLite would block for ever opening a FIFO planted as Manifest.db.
    Status regular = detail::require_regular_file(db_path);
    if (!regular) {
        if (regular.error().code == ErrorCode::NotFound) {
            return make_error(ErrorCode::NotFound, db_path.string(), "does not exist");
        }
        return std::move(regular).error();
    }
    std::error_code error;
    fs::path wal_path = db_path.string() + "-wal";
    if (!has_content(wal_path)) {
        auto db =
            open_sqlite(uri_for(db_path), SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, db_path.string());
        if (!db) return std::move(db).error();
        return stream_open_sqlite(db->get(), db_path.string(), options, visit);
    }
    // Committed rows in the -wal are part of the index, but immutable=1 would ignore them and a
    // normal open would write beside the backup: read a private copy instead.
    // A failure here is this machine's (a full or missing TMPDIR), never the backup's.
    // The copies, the -shm SQLite makes beside them and room for the checkpoint when it closes.
    const std::uint64_t wal_size = file_size_or_zero(wal_path);
    const std::uint64_t needed = file_size_or_zero(db_path) + 2 * wal_size + (1u << 20);
    auto local_fault = [&](const fs::path& where, const std::string& why) {
        std::string folder =
            where.empty() ? std::string("(TMPDIR is unset or unusable)") : where.string();
        return make_error(
            ErrorCode::LocalFault, folder,
            "cannot make the private copy of Manifest.db and its -wal that reading the index "
            "changes in the -wal needs: " +
                why + ". This is a fault of this machine, not of the backup: free at least " +
                std::to_string(needed) +
                " bytes in TMPDIR, or set TMPDIR to a folder with room, then run bkcheck again");
    };
    PrivateDir private_dir;
    if (private_dir.path().empty()) return local_fault(private_dir.tried(), private_dir.problem());
    if (auto space = fs::space(private_dir.path(), error); !error && space.available < needed) {
        return local_fault(private_dir.tried(),
                           "only " + std::to_string(space.available) + " bytes are free there");
    }
    error.clear();
    fs::path copy = private_dir.path() / "Manifest.db";
    // Read errors are the backup's (reported as such); write errors are this machine's.
    auto copy_file = [&](const fs::path& from, const fs::path& to) -> Status {
        std::error_code copy_error;
        fs::copy_file(from, to, copy_error);
        if (!copy_error) return Ok{};
        const int value = copy_error.value();
        if (copy_error.category() == std::generic_category() ||
            copy_error.category() == std::system_category()) {
            if (value == ENOSPC || value == EDQUOT || value == EROFS || value == EFBIG) {
                return local_fault(private_dir.tried(), copy_error.message());
            }
        }
        return make_error(ErrorCode::Io, from.string(),
                          "cannot copy for reading: " + copy_error.message());
    };
    BK_TRY(copy_file(db_path, copy));
    BK_TRY(copy_file(wal_path, copy.string() + "-wal"));
    auto db = open_sqlite(copy.string(), SQLITE_OPEN_READWRITE, db_path.string());
    if (!db) return std::move(db).error();
    return stream_open_sqlite(db->get(), db_path.string(), options, visit);
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

Result<ManifestIndex> stream_encrypted_manifest_db(const fs::path& db_path, ByteView key,
                                                   const ManifestDbOptions& options,
                                                   const ManifestRowVisitor& visit)
{
    auto vfs = detail::DecryptingVfs::create(db_path, key);
    if (!vfs) return std::move(vfs).error();
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(uri_for(db_path).c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
                             (*vfs)->name());
    SqliteDb db(raw);  // closed before *vfs is unregistered: declared after it
    if (rc != SQLITE_OK) {
        return make_error(ErrorCode::Io, db_path.string(),
                          "decrypts but cannot be opened: " + last_error(db.get()));
    }
    auto index = stream_open_sqlite(db.get(), db_path.string(), options, visit);
    if (!index)
        return make_error(index.error().code, db_path.string(),
                          "decrypts but " + index.error().message);
    return index;
}

Result<ManifestIndex> read_manifest_db(const fs::path& db_path, const ManifestDbOptions& options)
{
    ManifestIndex rows;
    auto streamed = stream_manifest_db(db_path, options, collect_rows_into(rows));
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
