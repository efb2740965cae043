// The index: Manifest.mbdb (iOS 5-9, §4) or Manifest.db (iOS 10+, §3) written by the library's own
// writers, then the damages that live inside the database, then (encrypted iOS >= 10.2) the whole
// file encrypted with the ManifestKey's key (§5.4). The plaintext database only ever exists in a
// private temporary folder, removed afterwards.
#include "writer_steps.h"

#include "random.h"
#include "unique_temp_dir.h"

#include "manifest_db.h"
#include "manifest_db_builder.h"
#include "mbdb.h"
#include "mbfile.h"

#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <system_error>

namespace bkcheck::testgen {
namespace {

struct SqliteCloser {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using SqlitePtr = std::unique_ptr<sqlite3, SqliteCloser>;

struct StatementFinalizer {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

Error sqlite_error(sqlite3* db, const fs::path& path, const char* what)
{
    return make_error(ErrorCode::Io, path.string(),
                      std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

Result<SqlitePtr> open_db(const fs::path& path)
{
    sqlite3* raw = nullptr;
    // SQLite takes UTF-8 names on every platform.
    int rc = sqlite3_open_v2(reinterpret_cast<const char*>(path.u8string().c_str()), &raw,
                             SQLITE_OPEN_READWRITE, nullptr);
    SqlitePtr db(raw);
    if (rc != SQLITE_OK) return sqlite_error(db.get(), path, "cannot open");
    return db;
}

Result<StatementPtr> prepare(sqlite3* db, const fs::path& path, const char* sql)
{
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK)
        return sqlite_error(db, path, sql);
    return StatementPtr(raw);
}

// A private folder under the system temp directory for the plaintext of an encrypted Manifest.db.
class TempFolder {
public:
    TempFolder() : m_path(make_unique_temp_dir("make_backup")) {}
    ~TempFolder()
    {
        std::error_code ignored;
        if (!m_path.empty()) fs::remove_all(m_path, ignored);
    }
    TempFolder(const TempFolder&) = delete;
    TempFolder& operator=(const TempFolder&) = delete;

    const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

// One row's `file` archive becomes bytes that are no plist at all.
Status garble_record(const WriteContext& context, const fs::path& db_path,
                     const std::string& file_id)
{
    auto db = open_db(db_path);
    if (!db) return std::move(db).error();
    auto statement = prepare(db->get(), db_path, "UPDATE Files SET file = ? WHERE fileID = ?");
    if (!statement) return std::move(statement).error();
    Bytes garbage = Rng::derive(context.spec.seed, "garbage-record").bytes(48);
    sqlite3_bind_blob(statement->get(), 1, garbage.data(), static_cast<int>(garbage.size()),
                      SQLITE_TRANSIENT);
    sqlite3_bind_text(statement->get(), 2, file_id.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(statement->get()) != SQLITE_DONE)
        return sqlite_error(db->get(), db_path, "update");
    return Ok{};
}

// Overwrites the header of the FilesFlagsIdx root page: the database still opens and the Files
// table still reads, but PRAGMA quick_check reports the broken b-tree.
Status corrupt_index_page(const fs::path& db_path)
{
    std::int64_t root_page = 0;
    std::int64_t page_size = 0;
    {
        auto db = open_db(db_path);
        if (!db) return std::move(db).error();
        auto root = prepare(db->get(), db_path,
                            "SELECT rootpage FROM sqlite_master WHERE name = 'FilesFlagsIdx'");
        if (!root) return std::move(root).error();
        if (sqlite3_step(root->get()) == SQLITE_ROW)
            root_page = sqlite3_column_int64(root->get(), 0);
        auto size = prepare(db->get(), db_path, "PRAGMA page_size");
        if (!size) return std::move(size).error();
        if (sqlite3_step(size->get()) == SQLITE_ROW)
            page_size = sqlite3_column_int64(size->get(), 0);
    }
    if (root_page < 2 || page_size <= 0) {
        return make_error(ErrorCode::Internal, db_path.string(),
                          "no FilesFlagsIdx index to damage");
    }
    std::FILE* file = open_stdio(db_path, "r+b");
    if (file == nullptr)
        return make_error(ErrorCode::Io, db_path.string(), "cannot open for writing");
    static const unsigned char k_garbage[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    bool ok = std::fseek(file, static_cast<long>((root_page - 1) * page_size), SEEK_SET) == 0 &&
              std::fwrite(k_garbage, 1, sizeof k_garbage, file) == sizeof k_garbage;
    ok = std::fclose(file) == 0 && ok;
    if (!ok) return make_error(ErrorCode::Io, db_path.string(), "cannot damage the index page");
    return Ok{};
}

// Zeroes page 1 after the 100-byte file header: the database still opens, but its schema b-tree
// (sqlite_master, which names the Files table) is gone, so neither reading nor salvage finds a row.
Status lose_schema_page(const fs::path& db_path)
{
    auto plaintext = read_whole_file(db_path);
    if (!plaintext) return std::move(plaintext).error();
    constexpr std::size_t k_header = 100;
    std::size_t page_size = plaintext->size() > 17 ? (std::size_t{(*plaintext)[16]} << 8) |
                                                         (*plaintext)[17]
                                                   : 0;
    if (page_size == 1) page_size = 65536;  // the header's way of writing 65536
    if (page_size <= k_header || plaintext->size() < page_size)
        return make_error(ErrorCode::Internal, db_path.string(), "no first page to damage");
    std::fill(plaintext->begin() + k_header, plaintext->begin() + page_size, 0);
    return write_file(db_path, *plaintext);
}

// Commits the held-back rows and closes without a checkpoint, so they exist only in
// Manifest.db-wal, as after a crash between commit and checkpoint (format.md §1.7).
Status append_wal_rows(const WriteContext& context, const fs::path& db_path)
{
    auto db = open_db(db_path);
    if (!db) return std::move(db).error();
    sqlite3_db_config(db->get(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, static_cast<int*>(nullptr));
    if (sqlite3_exec(db->get(), "PRAGMA wal_autocheckpoint = 0; BEGIN", nullptr, nullptr,
                     nullptr) != SQLITE_OK) {
        return sqlite_error(db->get(), db_path, "begin");
    }
    auto insert = prepare(
        db->get(), db_path,
        "INSERT INTO Files (fileID, domain, relativePath, flags, file) VALUES (?, ?, ?, ?, ?)");
    if (!insert) return std::move(insert).error();
    for (std::size_t row : context.wal_rows) {
        const FileRecord& record = context.records[row];
        Bytes archive = encode_mbfile(record);
        sqlite3_stmt* statement = insert->get();
        sqlite3_bind_text(statement, 1, record.file_id.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(statement, 2, record.domain.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(statement, 3, record.relative_path.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(statement, 4, record.flags);
        sqlite3_bind_blob(statement, 5, archive.data(), static_cast<int>(archive.size()),
                          SQLITE_TRANSIENT);
        if (sqlite3_step(statement) != SQLITE_DONE)
            return sqlite_error(db->get(), db_path, "insert");
        sqlite3_reset(statement);
    }
    if (sqlite3_exec(db->get(), "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
        return sqlite_error(db->get(), db_path, "commit");
    }
    return Ok{};
}

Status write_manifest_mbdb(const WriteContext& context)
{
    Bytes bytes = serialize_mbdb(context.records);
    if (context.has(Damage::ManifestUnreadable)) {
        // Bytes after the last record: too short to be a record, so the parse reports them.
        static const char k_trailer[] = "\x00\x0bgarbage";
        bytes.insert(bytes.end(), k_trailer, k_trailer + sizeof k_trailer - 1);
    }
    return write_file(context.dir / "Manifest.mbdb", bytes);
}

}  // namespace

Status write_index(WriteContext& context)
{
    if (context.spec.format == IndexFormat::ManifestMbdb) return write_manifest_mbdb(context);

    TempFolder temp;
    bool encrypted = context.spec.encrypted;
    if (encrypted && temp.path().empty())
        return make_error(ErrorCode::Io, "", "cannot create a temporary folder");
    fs::path db_path = encrypted ? temp.path() / "Manifest.db" : context.dir / "Manifest.db";

    if (context.wal_rows.empty()) {
        BK_TRY(write_manifest_db(real_writable_file_system(), db_path, context.records));
    } else {
        std::vector<FileRecord> in_db;
        in_db.reserve(context.records.size());
        std::size_t next_wal = 0;
        for (std::size_t i = 0; i < context.records.size(); ++i) {
            if (next_wal < context.wal_rows.size() && context.wal_rows[next_wal] == i) {
                ++next_wal;
                continue;
            }
            in_db.push_back(context.records[i]);
        }
        BK_TRY(write_manifest_db(real_writable_file_system(), db_path, in_db));
    }
    if (context.targets.record_unreadable) {
        BK_TRY(garble_record(context, db_path,
                             context.records[*context.targets.record_unreadable].file_id));
    }
    if (context.has(Damage::ManifestUnreadable)) BK_TRY(corrupt_index_page(db_path));
    if (!context.wal_rows.empty()) BK_TRY(append_wal_rows(context, db_path));
    // Last: the -wal rows need the schema (and a -wal holding page 1 would put it back).
    if (context.has(Damage::ManifestSchemaLost)) BK_TRY(lose_schema_page(db_path));
    if (!encrypted) return Ok{};

    auto plaintext = read_whole_file(db_path);
    if (!plaintext) return std::move(plaintext).error();
    auto cipher = aes_cbc_encrypt(context.manifest_db_key, *plaintext);
    if (!cipher) return std::move(cipher).error();
    return write_file(context.dir / "Manifest.db", *cipher);
}

}  // namespace bkcheck::testgen
