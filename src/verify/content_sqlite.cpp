// verify --deep, SQLite databases: opened read-only through a FileSystemVfs over the blob's
// plaintext (decrypted page by page when encrypted), so the database is neither loaded whole nor
// written anywhere, then PRAGMA quick_check (format.md §3.1 for the VFS and the WAL header).
#include "content_check.h"

#include "bkcheck/findings.h"
#include "manifest_db_image.h"
#include "sqlite_handle.h"

#include <string>

namespace bkcheck::detail {
namespace {

// The database as SQLite should read it: the source's bytes with header bytes 18-19 as 1. Apps'
// databases are mostly in WAL mode; read as rollback-journal databases they open without a -wal
// and without shared memory (which the VFS does not offer), and their pages are the same.
// With a -wal to apply, the header stays as it is (WAL mode), or SQLite would ignore the -wal.
class RollbackHeaderSource final : public DatabaseSource {
public:
    RollbackHeaderSource(DatabaseSource& source, bool patch) : m_source(source), m_patch(patch) {}
    std::uint64_t size() const override { return m_source.size(); }
    bool read(std::uint8_t* out, std::size_t size, std::uint64_t offset) override
    {
        if (!m_source.read(out, size, offset)) return false;
        if (!m_patch) return true;
        for (std::uint64_t header_byte : {18u, 19u}) {
            if (header_byte >= offset && header_byte < offset + size) out[header_byte - offset] = 1;
        }
        return true;
    }

private:
    DatabaseSource& m_source;
    bool m_patch;
};

// SQLite's own words for the first problems, so the message says where the damage is.
constexpr int k_max_lines = 3;

// A check SQLite cannot run here is not damage: an index or view that uses a collation or SQL
// function of the app (iOS registers its own, e.g. LOCALIZED) stops quick_check with this error on
// a sound database. Such a file stays at level length, unchecked, never called corrupt.
bool needs_what_only_the_app_has(const std::string& message)
{
    return message.find("no such collation sequence") != std::string::npos ||
           message.find("no such function") != std::string::npos ||
           message.find("unknown function") != std::string::npos ||
           message.find("no such module") != std::string::npos;
}

ContentOutcome needs_the_app()
{
    return ContentOutcome::unchecked(NotDecoded::SqliteNeedsApp);
}

}  // namespace

ContentOutcome check_sqlite(DatabaseSource& source, std::unique_ptr<DatabaseSource> wal, bool full)
{
    const bool applies_wal = wal != nullptr;
    auto vfs = FileSystemVfs::create(std::make_unique<RollbackHeaderSource>(source, !applies_wal),
                                     std::move(wal));
    if (!vfs) return ContentOutcome::unchecked();  // SQLite refused the VFS: nothing was decoded
    const std::string uri = std::string("file:") + FileSystemVfs::k_database_name + "?immutable=1";
    auto db = applies_wal ? open_with_wal(**vfs, "database")
                          : open_sqlite(uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, "database",
                                        (*vfs)->name());
    if (!db) {
        return ContentOutcome::damaged(finding_code::content_sqlite_corrupt,
                                       "the database cannot be opened: " + db.error().message);
    }
    // A small page cache: quick_check reads every page once, and several workers run at a time.
    sqlite3_exec(db->get(), "PRAGMA cache_size=-512", nullptr, nullptr, nullptr);
    auto statement =
        prepare(db->get(), full ? "PRAGMA integrity_check(3)" : "PRAGMA quick_check(3)");
    if (!statement) {
        std::string why = last_error(db->get());
        if (needs_what_only_the_app_has(why)) return needs_the_app();
        return ContentOutcome::damaged(finding_code::content_sqlite_corrupt,
                                       "the database cannot be read: " + why);
    }
    std::string problems;
    int lines = 0;
    int rc;
    while ((rc = sqlite3_step(statement.get())) == SQLITE_ROW) {
        const unsigned char* text = sqlite3_column_text(statement.get(), 0);
        std::string line = text == nullptr ? "" : reinterpret_cast<const char*>(text);
        if (line == "ok") continue;
        if (lines++ < k_max_lines) problems += (problems.empty() ? "" : "; ") + line;
    }
    if (rc != SQLITE_DONE) {
        // The VFS could not read the source (not the database's fault).
        if ((sqlite3_errcode(db->get()) & 0xff) == SQLITE_IOERR &&
            sqlite3_extended_errcode(db->get()) != SQLITE_IOERR_SHORT_READ) {
            return read_failure();
        }
        std::string why = last_error(db->get());
        if (needs_what_only_the_app_has(why)) return needs_the_app();
        return ContentOutcome::damaged(finding_code::content_sqlite_corrupt,
                                       "the database cannot be checked to its end: " + why +
                                           (problems.empty() ? "" : " (after: " + problems + ")"));
    }
    if (lines > 0 && needs_what_only_the_app_has(problems)) return needs_the_app();
    if (lines > 0) {
        return ContentOutcome::damaged(finding_code::content_sqlite_corrupt,
                                       "the database is damaged: " + problems);
    }
    return ContentOutcome::sound();
}

}  // namespace bkcheck::detail
