// Index step of verify: stream Manifest.db or Manifest.mbdb row by row to the caller, turning every
// index-wide problem into a manifest.* finding (format.md §3.1, §4, §6).
#include "read_index.h"
#include "bkcheck/findings.h"
#include "keybag.h"

#include "bkcheck/path_text.h"
#include "crypto.h"
#include "manifest_db.h"
#include "manifest_db_plaintext.h"
#include "mbdb.h"

#include <cstring>

namespace bkcheck::detail {
namespace {

// Real Manifest.mbdb files are a few MB; 4 GiB bounds what a hostile one can make us allocate.
constexpr std::uint64_t k_max_mbdb_bytes = 4ull << 30;

constexpr std::string_view k_no_mbdb_salvage =
    "no bkcheck command can salvage a damaged Manifest.mbdb: make a new backup of the device; if "
    "that fails on this "
    "folder, bkcheck repair --force-full --apply {backup} moves the index aside so the next backup "
    "is a full one";

constexpr std::string_view k_nothing_to_salvage =
    "no bkcheck command can rebuild this index: not one of its rows can be read, so repair has "
    "nothing to rebuild it from; make a new backup of the device; if that fails on this folder, "
    "bkcheck repair --force-full --apply {backup} moves the index aside so the next backup is a "
    "full one";

// manifest.unreadable with words of its own and no fix: the catalogue's fix (repair's salvage) does
// not apply to this case.
Finding unreadable_without_fix(std::string message, std::string path, std::string_view remedy)
{
    Finding finding = make_finding(finding_code::manifest_unreadable, std::move(message), {}, {},
                                   std::move(path));
    finding.remedy = std::string(remedy);
    finding.fix.clear();
    return finding;
}

bool report_index(const ManifestIndex& index, const char* file, FindingSink& sink)
{
    bool mbdb = std::string_view(file) == "Manifest.mbdb";
    for (const std::string& problem : index.index_problems) {
        std::string message = std::string(file) + " is damaged: " + problem;
        sink.add(mbdb ? unreadable_without_fix(std::move(message), file, k_no_mbdb_salvage)
                      : make_finding(finding_code::manifest_unreadable, std::move(message), {}, {},
                                     file));
    }
    return true;
}

// iOS >= 10.2 encrypts the whole index with the ManifestKey (§5.4): unwrap it and let SQLite read
// the file through a VFS that decrypts page by page, so no plaintext byte reaches the disk and
// memory does not grow with the index (the file is read through `file_system`, like every other).
bool read_encrypted_manifest_db(const FileSystem& file_system, const Backup& backup,
                                const ManifestDbOptions& options, const ClassKeys& keys,
                                FindingSink& sink, const IndexVisitor& visit)
{
    const Bytes& wrapped = backup.manifest.value.manifest_key;
    auto db_key = unwrap_class_wrapped_key(keys, wrapped);
    if (wrapped.empty() || !db_key) {
        sink.add(make_finding(
            finding_code::manifest_key_unwrap_failed,
            "the password unlocks the keybag, but the key of Manifest.db (ManifestKey in "
            "Manifest.plist) " +
                (wrapped.empty() ? std::string("is missing")
                                 : "cannot be unwrapped: " + db_key.error().message),
            {}, {}, "Manifest.plist"));
        return false;
    }
    auto index =
        stream_encrypted_manifest_db(file_system, backup.path / "Manifest.db", db_key->view(),
                                     options, visit.row, visit.expected_rows);
    if (!index) {
        sink.add(make_finding(finding_code::manifest_unreadable,
                              "Manifest.db " + index.error().message, {}, {}, "Manifest.db"));
        return false;
    }
    return report_index(*index, "Manifest.db", sink);
}

// Whether repair's salvage (salvage_manifest_rows, the rows repair rebuilds the index from) reads
// any row of this Manifest.db. Asked only when reading got none: it loads the whole file.
bool salvage_reads_a_row(const FileSystem& file_system, const Backup& backup, const ClassKeys* keys)
{
    auto plaintext = load_manifest_db_plaintext(file_system, backup, keys);
    if (!plaintext) return false;
    auto salvaged = salvage_manifest_rows(std::move(plaintext->image), "Manifest.db");
    return salvaged && !salvaged->rows.empty();
}

Result<bool> read_manifest_db_rows(const FileSystem& file_system, const Backup& backup,
                                   const ManifestDbOptions& options, const ClassKeys* keys,
                                   FindingSink& sink, const IndexVisitor& visit)
{
    fs::path db_path = backup.path / "Manifest.db";
    // iOS 10.0-10.1 encrypted backups keep a plaintext Manifest.db (§5.6): decide by the bytes.
    bool plaintext = starts_with_sqlite_magic(file_system, db_path);
    if (!plaintext && backup.manifest.denied && file_system.exists(db_path)) {
        // Not damage: its key may be in the Manifest.plist this user may not read.
        sink.add(make_finding(
            finding_code::access_denied,
            "not read: it is not a plain SQLite database (it may be encrypted), and its key is in "
            "Manifest.plist: " +
                backup.manifest.problem,
            {}, {}, "Manifest.db"));
        return false;
    }
    // An encrypted index whose key went with Manifest.plist was not examined: that is the
    // manifest_plist finding's doing, not damage to Manifest.db that repair could salvage.
    if (!plaintext && !backup.manifest.ok() && file_system.exists(db_path)) return false;
    if (backup.encrypted && !plaintext) {
        if (keys != nullptr)
            return read_encrypted_manifest_db(file_system, backup, options, *keys, sink, visit);
        sink.add(make_finding(
            finding_code::manifest_encrypted,
            "Manifest.db is encrypted: without the password only the plists and the folder "
            "layout could be checked",
            {}, {}, "Manifest.db"));
        return false;
    }
    auto wal = file_system.stat(backup.path / "Manifest.db-wal");
    if (wal && wal->size > 0) {
        sink.add(make_finding(
            finding_code::manifest_wal_present,
            "Manifest.db-wal holds " + std::to_string(wal->size) +
                " bytes of index changes; they were read as part of the index (never delete it)",
            {}, {}, "Manifest.db-wal"));
    }
    auto index = stream_manifest_db(file_system, db_path, options, visit.row, visit.expected_rows);
    if (!index && index.error().code == ErrorCode::LocalFault) return std::move(index).error();
    if (!index) {
        sink.add(make_finding(finding_code::manifest_unreadable,
                              "Manifest.db cannot be read: " + index.error().message, {}, {},
                              "Manifest.db"));
        return false;
    }
    return report_index(*index, "Manifest.db", sink);
}

bool read_manifest_mbdb(const FileSystem& file_system, const Backup& backup, FindingSink& sink,
                        const IndexVisitor& visit)
{
    fs::path mbdb_path = backup.path / "Manifest.mbdb";
    auto bytes = file_system.read_file(mbdb_path, k_max_mbdb_bytes);
    if (!bytes) {
        sink.add(unreadable_without_fix("Manifest.mbdb cannot be read: " + bytes.error().message,
                                        "Manifest.mbdb", k_no_mbdb_salvage));
        return false;
    }
    auto index = parse_mbdb(*bytes, path_text(mbdb_path));
    if (!index) {
        sink.add(unreadable_without_fix("Manifest.mbdb is damaged: " + index.error().message,
                                        "Manifest.mbdb", k_no_mbdb_salvage));
        return false;
    }
    // Real Manifest.mbdb files are a few MB: parsed whole, then handed on record by record.
    for (const UnreadableRecord& bad : index->unreadable) visit.unreadable(bad);
    for (FileRecord& record : index->records) {
        if (!visit.record(std::move(record))) break;
    }
    return report_index(*index, "Manifest.mbdb", sink);
}

}  // namespace

Result<bool> read_index(const FileSystem& file_system, const Backup& backup,
                        const ManifestDbOptions& options, const ClassKeys* keys, FindingSink& sink,
                        const IndexVisitor& visit)
{
    // An index this user may not read was not examined: access.denied, never damage to repair.
    // Manifest.db's -wal is read with it (its committed rows are part of the index).
    if (backup.format == BackupFormat::ManifestDb || backup.format == BackupFormat::ManifestMbdb) {
        std::string name = index_file_name(backup.format);
        for (const std::string& file : {name, name + "-wal"}) {
            if (file != name && (backup.format != BackupFormat::ManifestDb ||
                                 !file_system.exists(backup.path / file))) {
                continue;
            }
            auto probe = file_system.open_read(backup.path / file);
            if (!probe && is_permission_error(probe.error())) {
                sink.add(
                    make_finding(finding_code::access_denied, probe.error().message, {}, {}, file));
                return false;
            }
        }
    }
    if (auto linked = index_link(backup)) {
        sink.add(unreadable_without_fix(
            *linked + " is a symbolic link, not a file: bkcheck does not read through links "
                      "inside a backup (Apple's software writes none)",
            *linked,
            "no bkcheck command changes a link: if it leads to this backup's own index, "
            "replace it with a real copy (rm {entry}, then cp TARGET {entry}); then bkcheck "
            "verify {backup} again"));
        return false;
    }
    switch (backup.format) {
        case BackupFormat::ManifestDb: {
            // The catalogue's remedy for a damaged Manifest.db is repair's rebuild from the rows
            // that can still be read; where there is not one, that advice would lead nowhere.
            std::size_t damaged_before = sink.count(finding_code::manifest_unreadable);
            std::uint64_t rows = 0;
            IndexVisitor counting = visit;
            counting.row = [&](ManifestRow& row) {
                ++rows;
                return visit.row(row);
            };
            auto read = read_manifest_db_rows(file_system, backup, options, keys, sink, counting);
            bool damaged = sink.count(finding_code::manifest_unreadable) > damaged_before;
            if (read && rows == 0 && damaged && !salvage_reads_a_row(file_system, backup, keys)) {
                sink.amend(finding_code::manifest_unreadable, [](Finding& finding) {
                    finding.remedy = std::string(k_nothing_to_salvage);
                    finding.fix.clear();
                });
            }
            return read;
        }
        case BackupFormat::ManifestMbdb:
            return read_manifest_mbdb(file_system, backup, sink, visit);
        case BackupFormat::NoIndex:
            sink.add(make_finding(
                finding_code::manifest_missing,
                "the file index (Manifest.db or Manifest.mbdb) is missing: nothing can be restored "
                "from this backup",
                {}, {}, "Manifest.db"));
            return false;
        case BackupFormat::LegacyUnsupported:
            break;
    }
    return false;
}

}  // namespace bkcheck::detail
