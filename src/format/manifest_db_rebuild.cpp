// Reading Manifest.db for a rebuild (format.md §3): its plaintext image with the -wal folded in,
// and every row that can be salvaged from a damaged one (manifest_db_builder.cpp writes the new
// one).
#include "manifest_db.h"

#include "bkcheck/path_text.h"
#include "manifest_db_image.h"
#include "mbfile.h"

#include <cstring>
#include <iterator>
#include <limits>

namespace bkcheck {
namespace {

using detail::exec_sql;
using detail::last_error;
using detail::open_manifest_image;
using detail::prepare;

constexpr int k_max_probes_per_gap = 64;

std::string column_text(sqlite3_stmt* statement, int column)
{
    const unsigned char* text = sqlite3_column_text(statement, column);
    return text == nullptr
               ? std::string()
               : std::string(reinterpret_cast<const char*>(text),
                             static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
}

}  // namespace

Result<Bytes> load_manifest_db_image(const FileSystem& file_system, const fs::path& db_path)
{
    constexpr std::uint64_t k_any_size = std::numeric_limits<std::uint64_t>::max();
    auto image = file_system.read_file(db_path, k_any_size);
    if (!image) return image;
    fs::path wal_path = path_text(db_path) + "-wal";
    auto wal_stat = file_system.stat(wal_path);
    // An empty -wal holds nothing to fold in; one that is not a regular file is refused by
    // read_file.
    if (!wal_stat || (wal_stat->type == EntryType::File && wal_stat->size == 0)) return image;
    auto wal = file_system.read_file(wal_path, k_any_size);
    if (!wal) return std::move(wal).error();
    // SQLite folds the -wal into a private copy of the image, in the VFS's memory: the backup is
    // never opened for writing, and nothing is written anywhere.
    auto vfs = detail::FileSystemVfs::create(detail::memory_source(std::move(*image)),
                                             detail::memory_source(std::move(*wal)));
    if (!vfs) return std::move(vfs).error();
    {
        auto db = detail::open_with_wal(**vfs, path_text(db_path));
        if (!db) return std::move(db).error();
        // If the checkpoint fails, the file alone is what is left.
        (void)exec_sql(db->get(), "PRAGMA wal_checkpoint(TRUNCATE)");
    }
    return (*vfs)->database_image();
}

Result<SalvagedRows> salvage_manifest_rows(Bytes image, std::string_view path)
{
    auto db = open_manifest_image(std::move(image), path);
    if (!db) return std::move(db).error();
    auto select = prepare(db->get(),
                          "SELECT rowid, fileID, domain, relativePath, flags, file FROM Files "
                          "WHERE rowid > ? ORDER BY rowid");
    if (!select) {
        return make_error(
            ErrorCode::Corrupt, std::string(path),
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
            ManifestRow copy{column_text(row, 1),
                             column_text(row, 2),
                             column_text(row, 3),
                             sqlite3_column_int64(row, 4),
                             {}};
            const auto* blob = static_cast<const std::uint8_t*>(sqlite3_column_blob(row, 5));
            if (blob != nullptr) copy.file.assign(blob, blob + sqlite3_column_bytes(row, 5));
            salvaged.rows.push_back(std::move(copy));
        }
        if (rc == SQLITE_DONE) break;
        if (backwards) {
            salvaged.problems.push_back(
                "rows after rowid " + std::to_string(after) +
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
            std::uint64_t room =
                static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) -
                static_cast<std::uint64_t>(after);
            if (step > room) break;
            auto bound = static_cast<std::int64_t>(static_cast<std::uint64_t>(after) + step);
            sqlite3_reset(select.get());
            sqlite3_bind_int64(select.get(), 1, bound);
            // A damaged b-tree can answer "rowid > bound" with a row at or below bound; resuming
            // there would never move `after` forward (one problem per turn, forever): probe
            // further.
            if (sqlite3_step(select.get()) == SQLITE_ROW &&
                sqlite3_column_int64(select.get(), 0) > bound) {
                std::int64_t next = sqlite3_column_int64(select.get(), 0);
                salvaged.problems.push_back("rows after rowid " + std::to_string(after) +
                                            " up to " + std::to_string(next) + " are unreadable (" +
                                            reason + ")");
                after = next - 1;
                resumed = true;
            }
        }
        if (!resumed) {
            salvaged.problems.push_back("rows after rowid " + std::to_string(after) +
                                        " are unreadable (" + reason + ")");
            break;
        }
    }
    return salvaged;
}

}  // namespace bkcheck
