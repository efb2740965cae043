// Index step of verify: read Manifest.db or Manifest.mbdb into the record model, turning every
// problem into a manifest.* finding (format.md §3.1, §4, §6).
#include "verify_steps.h"

#include "bkcheck/manifest_db.h"
#include "bkcheck/mbdb.h"

#include <cstring>

namespace bkcheck::detail {
namespace {

// Real Manifest.mbdb files are a few MB; 4 GiB bounds what a hostile one can make us allocate.
constexpr std::uint64_t k_max_mbdb_bytes = 4ull << 30;

constexpr char k_sqlite_magic[] = "SQLite format 3";  // 16 bytes with the terminating NUL

bool starts_with_sqlite_magic(const FileSystem& file_system, const fs::path& path)
{
    auto reader = file_system.open_read(path);
    if (!reader) return false;
    std::uint8_t header[16] = {};
    auto count = (*reader)->read(header);
    return count && *count == 16 && std::memcmp(header, k_sqlite_magic, 16) == 0;
}

std::optional<ManifestIndex> report_index(ManifestIndex index, const char* file, FindingSink& sink)
{
    for (const std::string& problem : index.index_problems) {
        sink.add(make_finding("manifest.unreadable", std::string(file) + " is damaged: " + problem, {}, {}, file));
    }
    return index;
}

std::optional<ManifestIndex> load_manifest_db(const FileSystem& file_system, const Backup& backup,
                                              const VerifyOptions& options, FindingSink& sink)
{
    fs::path db_path = backup.path / "Manifest.db";
    if (backup.encrypted && !starts_with_sqlite_magic(file_system, db_path)) {
        // iOS >= 10.2 encrypts the whole index with the ManifestKey (§5.4).
        sink.add(make_finding("manifest.encrypted",
                              "Manifest.db is encrypted: without the password only the plists and the folder "
                              "layout could be checked",
                              {}, {}, "Manifest.db"));
        return std::nullopt;
    }
    auto wal = file_system.stat(backup.path / "Manifest.db-wal");
    if (wal && wal->size > 0) {
        sink.add(make_finding("manifest.wal_present",
                              "Manifest.db-wal holds " + std::to_string(wal->size) +
                                  " bytes of index changes; they were read as part of the index (never delete it)",
                              {}, {}, "Manifest.db-wal"));
    }
    auto index = read_manifest_db(db_path, options.manifest_db);
    if (!index) {
        sink.add(make_finding("manifest.unreadable", "Manifest.db cannot be read: " + index.error().message, {}, {},
                              "Manifest.db"));
        return std::nullopt;
    }
    return report_index(std::move(*index), "Manifest.db", sink);
}

std::optional<ManifestIndex> load_manifest_mbdb(const FileSystem& file_system, const Backup& backup, FindingSink& sink)
{
    fs::path mbdb_path = backup.path / "Manifest.mbdb";
    auto bytes = file_system.read_file(mbdb_path, k_max_mbdb_bytes);
    if (!bytes) {
        sink.add(make_finding("manifest.unreadable", "Manifest.mbdb cannot be read: " + bytes.error().message, {}, {},
                              "Manifest.mbdb"));
        return std::nullopt;
    }
    auto index = parse_mbdb(*bytes, mbdb_path.string());
    if (!index) {
        sink.add(make_finding("manifest.unreadable", "Manifest.mbdb is damaged: " + index.error().message, {}, {},
                              "Manifest.mbdb"));
        return std::nullopt;
    }
    return report_index(std::move(*index), "Manifest.mbdb", sink);
}

}  // namespace

std::optional<ManifestIndex> load_index(const FileSystem& file_system, const Backup& backup,
                                        const VerifyOptions& options, FindingSink& sink)
{
    switch (backup.format) {
    case BackupFormat::ManifestDb: return load_manifest_db(file_system, backup, options, sink);
    case BackupFormat::ManifestMbdb: return load_manifest_mbdb(file_system, backup, sink);
    case BackupFormat::NoIndex:
        sink.add(make_finding("manifest.missing",
                              "the file index (Manifest.db or Manifest.mbdb) is missing: nothing can be restored "
                              "from this backup",
                              {}, {}, "Manifest.db"));
        return std::nullopt;
    case BackupFormat::LegacyUnsupported: break;
    }
    return std::nullopt;
}

}  // namespace bkcheck::detail
