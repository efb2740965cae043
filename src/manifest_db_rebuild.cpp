// Rebuilding Manifest.db (format.md §3): what repair uses to salvage a damaged index or drop rows,
// and the generator to write one. The new database is built in memory and serialized, so an
// encrypted backup's index can be re-encrypted without its plaintext ever touching the disk.
#include "bkcheck/manifest_db.h"

#include "bkcheck/mbfile.h"
#include "internal/manifest_db_image.h"

#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <system_error>

namespace bkcheck {
namespace {

using detail::last_error;
using detail::open_manifest_image;
using detail::open_sqlite;
using detail::prepare;

constexpr int k_max_probes_per_gap = 64;

Result<Bytes> read_whole(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(ErrorCode::Io, path.string(), "cannot open");
    Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return make_error(ErrorCode::Io, path.string(), "cannot read");
    return bytes;
}

std::string column_text(sqlite3_stmt* statement, int column)
{
    const unsigned char* text = sqlite3_column_text(statement, column);
    return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text),
                                                         static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
}

Status exec(sqlite3* db, const char* sql)
{
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) == SQLITE_OK) return Ok{};
    std::string text = message == nullptr ? last_error(db) : message;
    sqlite3_free(message);
    return make_error(ErrorCode::Io, "Manifest.db", std::string(sql).substr(0, 40) + ": " + text);
}

}  // namespace

Result<Bytes> load_manifest_db_image(const fs::path& db_path)
{
    std::error_code error;
    fs::path wal_path = db_path.string() + "-wal";
    if (fs::file_size(wal_path, error) == 0 || error) return read_whole(db_path);
    detail::PrivateDir private_dir;
    if (private_dir.path().empty()) return make_error(ErrorCode::Io, db_path.string(), "cannot create a temporary folder");
    fs::path copy = private_dir.path() / "Manifest.db";
    fs::copy_file(db_path, copy, error);
    if (!error) fs::copy_file(wal_path, copy.string() + "-wal", error);
    if (error) return make_error(ErrorCode::Io, db_path.string(), "cannot copy: " + error.message());
    {
        auto db = open_sqlite(copy.string(), SQLITE_OPEN_READWRITE, db_path.string());
        if (!db) return std::move(db).error();
        // Folding the -wal into the copy; if the checkpoint fails, the file alone is what is left.
        (void)exec(db->get(), "PRAGMA wal_checkpoint(TRUNCATE)");
    }
    return read_whole(copy);
}

Result<SalvagedRows> salvage_manifest_rows(Bytes image, std::string_view path)
{
    auto db = open_manifest_image(std::move(image), path);
    if (!db) return std::move(db).error();
    auto select = prepare(db->get(), "SELECT rowid, fileID, domain, relativePath, flags, file FROM Files "
                                     "WHERE rowid > ? ORDER BY rowid");
    if (!select) {
        return make_error(ErrorCode::Corrupt, std::string(path),
                          "no Files table with Apple's columns to salvage: " + last_error(db->get()));
    }
    SalvagedRows salvaged;
    std::int64_t after = std::numeric_limits<std::int64_t>::min();
    for (;;) {
        sqlite3_reset(select.get());
        sqlite3_bind_int64(select.get(), 1, after);
        int rc;
        bool backwards = false;
        while ((rc = sqlite3_step(select.get())) == SQLITE_ROW) {
            sqlite3_stmt* row = select.get();
            std::int64_t rowid = sqlite3_column_int64(row, 0);
            // A damaged b-tree can lead a scan back to pages already read (SQLite does not always
            // notice); rowids that stop rising mean rows would repeat forever.
            if (rowid <= after) {
                backwards = true;
                break;
            }
            after = rowid;
            ManifestRow copy{column_text(row, 1), column_text(row, 2), column_text(row, 3),
                             sqlite3_column_int64(row, 4), {}};
            const auto* blob = static_cast<const std::uint8_t*>(sqlite3_column_blob(row, 5));
            if (blob != nullptr) copy.file.assign(blob, blob + sqlite3_column_bytes(row, 5));
            salvaged.rows.push_back(std::move(copy));
        }
        if (rc == SQLITE_DONE) break;
        if (backwards) {
            salvaged.problems.push_back("rows after rowid " + std::to_string(after) +
                                        " are unreadable (the table's rowids go backwards: a damaged b-tree)");
            break;
        }
        // A damaged page: probe ever further ahead for the next rowid that can be reached.
        std::string reason = last_error(db->get());
        bool resumed = false;
        for (int probe = 0; probe < k_max_probes_per_gap && !resumed; ++probe) {
            // Unsigned: from the first rowid (INT64_MIN) the distance to INT64_MAX does not fit in
            // int64, and step 2^63 is needed to reach the rowids >= 0 a damaged first page hides.
            std::uint64_t step = std::uint64_t{1} << probe;
            std::uint64_t room = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) -
                                 static_cast<std::uint64_t>(after);
            if (step > room) break;
            auto bound = static_cast<std::int64_t>(static_cast<std::uint64_t>(after) + step);
            sqlite3_reset(select.get());
            sqlite3_bind_int64(select.get(), 1, bound);
            // A damaged b-tree can answer "rowid > bound" with a row at or below bound; resuming
            // there would never move `after` forward (one problem per turn, forever): probe further.
            if (sqlite3_step(select.get()) == SQLITE_ROW && sqlite3_column_int64(select.get(), 0) > bound) {
                std::int64_t next = sqlite3_column_int64(select.get(), 0);
                salvaged.problems.push_back("rows after rowid " + std::to_string(after) + " up to " +
                                            std::to_string(next) + " are unreadable (" + reason + ")");
                after = next - 1;
                resumed = true;
            }
        }
        if (!resumed) {
            salvaged.problems.push_back("rows after rowid " + std::to_string(after) + " are unreadable (" + reason + ")");
            break;
        }
    }
    return salvaged;
}

Result<Bytes> build_manifest_db_image(const std::vector<ManifestRow>& rows)
{
    auto db = open_sqlite(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, "Manifest.db");
    if (!db) return std::move(db).error();
    // auto_vacuum must be set before the first table exists (§3.1: incremental, as Apple's are).
    for (const char* pragma : {"PRAGMA page_size=4096", "PRAGMA auto_vacuum=INCREMENTAL", "PRAGMA user_version=2"}) {
        BK_TRY(exec(db->get(), pragma));
    }
    for (const char* sql : detail::k_manifest_schema) BK_TRY(exec(db->get(), sql));
    BK_TRY(exec(db->get(), "BEGIN"));
    auto insert = prepare(db->get(), "INSERT INTO Files (fileID, domain, relativePath, flags, file) VALUES (?,?,?,?,?)");
    if (!insert) return make_error(ErrorCode::Io, "Manifest.db", last_error(db->get()));
    for (const ManifestRow& row : rows) {
        sqlite3_stmt* statement = insert.get();
        sqlite3_bind_text(statement, 1, row.file_id.data(), static_cast<int>(row.file_id.size()), SQLITE_STATIC);
        sqlite3_bind_text(statement, 2, row.domain.data(), static_cast<int>(row.domain.size()), SQLITE_STATIC);
        sqlite3_bind_text(statement, 3, row.relative_path.data(), static_cast<int>(row.relative_path.size()),
                          SQLITE_STATIC);
        sqlite3_bind_int64(statement, 4, row.flags);
        sqlite3_bind_blob(statement, 5, row.file.data(), static_cast<int>(row.file.size()), SQLITE_STATIC);
        if (sqlite3_step(statement) != SQLITE_DONE) {
            return make_error(ErrorCode::Corrupt, "Manifest.db",
                              "row " + row.file_id + " cannot be written: " + last_error(db->get()));
        }
        sqlite3_reset(statement);
    }
    insert.reset();
    BK_TRY(exec(db->get(), "COMMIT"));
    sqlite3_int64 size = 0;
    unsigned char* serialized = sqlite3_serialize(db->get(), "main", &size, 0);
    if (serialized == nullptr) return make_error(ErrorCode::Io, "Manifest.db", "out of memory");
    Bytes image(serialized, serialized + size);
    sqlite3_free(serialized);
    image[18] = 2;  // WAL mode, as Apple's: a checkpointed WAL database is exactly this file
    image[19] = 2;
    return image;
}

Status write_manifest_db(const fs::path& db_path, const std::vector<FileRecord>& records)
{
    std::error_code error;
    if (fs::exists(db_path, error)) return make_error(ErrorCode::InvalidArgument, db_path.string(), "already exists");
    std::vector<ManifestRow> rows;
    rows.reserve(records.size());
    for (const FileRecord& record : records) {
        rows.push_back({record.file_id, record.domain, record.relative_path, record.flags, encode_mbfile(record)});
    }
    auto image = build_manifest_db_image(rows);
    if (!image) return std::move(image).error();
    std::ofstream out(db_path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(image->data()), static_cast<std::streamsize>(image->size()));
    if (!out.flush()) return make_error(ErrorCode::Io, db_path.string(), "cannot write");
    return Ok{};
}

}  // namespace bkcheck
