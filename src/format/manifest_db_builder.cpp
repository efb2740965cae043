#include "manifest_db_builder.h"
#include "manifest_db.h"

#include "bkcheck/path_text.h"
#include "manifest_db_image.h"
#include "mbfile.h"

#include <iterator>

namespace bkcheck {
namespace {

using detail::exec_sql;
using detail::last_error;
using detail::prepare;

// SQLite's memdb keeps the database as one growing buffer (":memory:" would hold every page in the
// page cache with its overhead) and serializes it without a copy. Its default cap is 1 GiB, less
// than the index of a large device can reach.
constexpr sqlite3_int64 k_max_image_bytes = sqlite3_int64{1} << 40;

}  // namespace

struct ManifestDbBuilder::State {
    detail::SqliteDb db;
    detail::SqliteStatement insert;
    bool finished = false;
};

ManifestDbBuilder::ManifestDbBuilder(std::unique_ptr<State> state) : m_state(std::move(state)) {}
ManifestDbBuilder::ManifestDbBuilder(ManifestDbBuilder&&) noexcept = default;
ManifestDbBuilder& ManifestDbBuilder::operator=(ManifestDbBuilder&&) noexcept = default;
ManifestDbBuilder::~ManifestDbBuilder() = default;

Result<ManifestDbBuilder> ManifestDbBuilder::open()
{
    auto state = std::make_unique<State>();
    // A name without '/' is private to this connection.
    auto db = detail::open_sqlite("file:bkcheck-manifest?vfs=memdb",
                                  SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI,
                                  "Manifest.db");
    if (!db) return std::move(db).error();
    state->db = std::move(*db);
    sqlite3* handle = state->db.get();
    sqlite3_int64 limit = k_max_image_bytes;
    sqlite3_file_control(handle, "main", SQLITE_FCNTL_SIZE_LIMIT, &limit);
    // auto_vacuum must be set before the first table exists (§3.1: incremental, as Apple's are).
    // temp_store: the sorts that build the indexes stay in memory too, never spilled to a temporary
    // file (repair builds an encrypted backup's index: its plaintext must not touch the disk).
    for (const char* pragma : {"PRAGMA page_size=4096", "PRAGMA auto_vacuum=INCREMENTAL",
                               "PRAGMA user_version=2", "PRAGMA temp_store=MEMORY"}) {
        BK_TRY(exec_sql(handle, pragma));
    }
    // Only the Files table now; its indexes and Properties come in finish(), after the rows (in the
    // same order, so sqlite_master reads as Apple's): an index built once from sorted keys is
    // cheaper than three kept up to date row by row while blob writes keep evicting their pages
    // from the CPU's caches (export: 25 % of its user time went into inserts that way).
    BK_TRY(exec_sql(handle, detail::k_manifest_schema[0]));
    BK_TRY(exec_sql(handle, "BEGIN"));
    state->insert = prepare(
        handle, "INSERT INTO Files (fileID, domain, relativePath, flags, file) VALUES (?,?,?,?,?)");
    if (!state->insert) return make_error(ErrorCode::Io, "Manifest.db", last_error(handle));
    return ManifestDbBuilder(std::move(state));
}

Status ManifestDbBuilder::add(const ManifestRow& row)
{
    if (m_state->finished)
        return make_error(ErrorCode::InvalidArgument, "Manifest.db", "already finished");
    sqlite3_stmt* statement = m_state->insert.get();
    sqlite3_bind_text(statement, 1, row.file_id.data(), static_cast<int>(row.file_id.size()),
                      SQLITE_STATIC);
    sqlite3_bind_text(statement, 2, row.domain.data(), static_cast<int>(row.domain.size()),
                      SQLITE_STATIC);
    sqlite3_bind_text(statement, 3, row.relative_path.data(),
                      static_cast<int>(row.relative_path.size()), SQLITE_STATIC);
    sqlite3_bind_int64(statement, 4, row.flags);
    sqlite3_bind_blob(statement, 5, row.file.data(), static_cast<int>(row.file.size()),
                      SQLITE_STATIC);
    int rc = sqlite3_step(statement);
    sqlite3_reset(statement);
    if (rc != SQLITE_DONE) {
        return make_error(
            ErrorCode::Corrupt, "Manifest.db",
            "row " + row.file_id + " cannot be written: " + last_error(m_state->db.get()));
    }
    ++m_rows;
    return Ok{};
}

Status ManifestDbBuilder::add(const FileRecord& record)
{
    return add(ManifestRow{record.file_id, record.domain, record.relative_path, record.flags,
                           encode_mbfile(record)});
}

Status ManifestDbBuilder::finish(const std::function<Status(ByteView)>& write)
{
    if (m_state->finished)
        return make_error(ErrorCode::InvalidArgument, "Manifest.db", "already finished");
    m_state->finished = true;
    m_state->insert.reset();
    for (std::size_t i = 1; i < std::size(detail::k_manifest_schema); ++i) {
        BK_TRY(exec_sql(m_state->db.get(), detail::k_manifest_schema[i]));
    }
    BK_TRY(exec_sql(m_state->db.get(), "COMMIT"));
    sqlite3_int64 size = 0;
    const unsigned char* image =
        sqlite3_serialize(m_state->db.get(), "main", &size, SQLITE_SERIALIZE_NOCOPY);
    if (image == nullptr || size < 20)
        return make_error(ErrorCode::Io, "Manifest.db", "cannot serialize the new database");
    // Bytes 18-19 say WAL mode, as Apple's: a checkpointed WAL database is exactly this file. The
    // memdb buffer itself is left as SQLite wrote it.
    static constexpr std::uint8_t k_wal_versions[] = {2, 2};
    BK_TRY(write(ByteView(image, 18)));
    BK_TRY(write(ByteView(k_wal_versions, sizeof k_wal_versions)));
    return write(ByteView(image + 20, static_cast<std::size_t>(size) - 20));
}

Result<Bytes> build_manifest_db_image(const std::vector<ManifestRow>& rows)
{
    auto builder = ManifestDbBuilder::open();
    if (!builder) return std::move(builder).error();
    for (const ManifestRow& row : rows) BK_TRY(builder->add(row));
    Bytes image;
    BK_TRY(builder->finish([&](ByteView piece) {
        image.insert(image.end(), piece.begin(), piece.end());
        return Status(Ok{});
    }));
    return image;
}

Status write_manifest_db(WritableFileSystem& file_system, const fs::path& db_path,
                         const std::vector<FileRecord>& records)
{
    fs::path folder = db_path.parent_path().empty() ? fs::path(".") : db_path.parent_path();
    auto tree = file_system.open_tree(folder);
    if (!tree) return std::move(tree).error();
    if ((*tree)->entry_exists(db_path.filename()))
        return make_error(ErrorCode::InvalidArgument, path_text(db_path), "already exists");
    auto builder = ManifestDbBuilder::open();
    if (!builder) return std::move(builder).error();
    for (const FileRecord& record : records) BK_TRY(builder->add(record));
    Bytes image;
    BK_TRY(builder->finish([&](ByteView piece) {
        image.insert(image.end(), piece.begin(), piece.end());
        return Status(Ok{});
    }));
    return (*tree)->write_file_atomic(db_path.filename(), image, FileAccess::Everyone);
}

}  // namespace bkcheck
