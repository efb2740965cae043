// The test-backup generator (tools/make_backup): layout, Manifest.db settings checked with SQLite
// itself, mbdb round trip, determinism, and that every damage does what it says, both on disk and
// as the finding verify reports.
#include "make_backup/backup_writer.h"
#include "make_backup/content.h"

#include "bkcheck/backup.h"
#include "bkcheck/verifier.h"
#include "manifest_db.h"
#include "mbdb.h"

#include "support/file_contents.h"
#include "support/temp_dir.h"
#include "support/tree_snapshot.h"

#include <sqlite3.h>
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

using namespace bkcheck;
using namespace bkcheck::testgen;

namespace {

using test::read_bytes;

fs::path make(const BackupSpec& spec, const fs::path& parent)
{
    auto written = write_backup(spec, parent);
    INFO((written ? std::string() : written.error().describe()));
    REQUIRE(written);
    return *written;
}

// Every finding verify reports (read_data on, so digests are checked too), as code -> count.
std::map<std::string, std::size_t> findings_of(const fs::path& dir)
{
    auto backup = open_backup(real_file_system(), dir);
    REQUIRE(backup);
    FindingSink sink(1000);
    VerifyOptions options;
    options.read_data = true;
    auto result = verify_backup(real_file_system(), *backup, options, sink);
    REQUIRE(result);
    return sink.totals();
}

// Opens a SQLite file read-only without touching it or its side files.
struct ReadOnlyDb {
    explicit ReadOnlyDb(const fs::path& path)
    {
        std::string uri = "file:" + path.string() + "?immutable=1";
        sqlite3_open_v2(uri.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
    }
    ~ReadOnlyDb() { sqlite3_close(db); }
    std::vector<std::string> column(const char* sql) const
    {
        std::vector<std::string> out;
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) != SQLITE_OK) return out;
        while (sqlite3_step(statement) == SQLITE_ROW) {
            const unsigned char* text = sqlite3_column_text(statement, 0);
            out.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
        }
        sqlite3_finalize(statement);
        return out;
    }
    sqlite3* db = nullptr;
};

}  // namespace

TEST_CASE("a healthy Manifest.db backup has the files of format.md §1.3 and opens as one",
          "[testgen]")
{
    test::TempDir temp;
    BackupSpec spec;
    spec.file_count = 60;
    fs::path dir = make(spec, temp.path());
    CHECK(dir.filename() == udid_for(spec));
    for (const char* name : {"Info.plist", "Status.plist", "Manifest.plist", "Manifest.db"}) {
        CHECK(fs::is_regular_file(dir / name));
    }
    CHECK_FALSE(fs::exists(dir / "Manifest.db-wal"));
    CHECK_FALSE(fs::exists(dir / "Snapshot"));

    auto backup = open_backup(real_file_system(), dir);
    REQUIRE(backup);
    CHECK(backup->format == BackupFormat::ManifestDb);
    CHECK(backup->state() == BackupState::Complete);
    CHECK(backup->info.binary);
    CHECK(backup->info.value.product_type == "iPhone12,1");
    CHECK(backup->info.value.unique_identifier ==
          udid_for(spec));  // the default UDID is uppercase already
    CHECK(backup->status.value.version == "3.3");
    CHECK(backup->manifest.value.version == "10.0");
    CHECK(backup->manifest.value.is_encrypted == false);
    CHECK_FALSE(backup->manifest.value.keybag.empty());

    auto index = read_manifest_db(real_file_system(), dir / "Manifest.db");
    REQUIRE(index);
    CHECK(index->unreadable.empty());
    CHECK(index->index_problems.empty());
    std::size_t files = 0, links = 0, digests = 0;
    for (const FileRecord& record : index->records) {
        CHECK(record.file_id == file_id_for(record.domain, record.relative_path));
        if (record.kind == FileKind::Symlink) {
            ++links;
            CHECK_FALSE(record.target.empty());
        }
        if (record.kind != FileKind::File) continue;
        ++files;
        fs::path blob = dir / record.file_id.substr(0, 2) / record.file_id;
        REQUIRE(fs::exists(blob));
        CHECK(fs::file_size(blob) == record.size);
        if (!record.digest.empty()) {
            ++digests;
            Sha1Digest digest = sha1(read_bytes(blob));
            CHECK(Bytes(digest.begin(), digest.end()) == record.digest);
            CHECK(domain_has_digests(record.domain));
        }
    }
    CHECK(files == 60);
    CHECK(links == 3);
    CHECK(digests > 0);
    CHECK(findings_of(dir).empty());
}

TEST_CASE("the generated Manifest.db has Apple's schema and settings (§3.1, §3.2)", "[testgen]")
{
    test::TempDir temp;
    BackupSpec spec;
    fs::path dir = make(spec, temp.path());
    Bytes header = read_bytes(dir / "Manifest.db");
    REQUIRE(header.size() > 100);
    CHECK(std::string(header.begin(), header.begin() + 15) == "SQLite format 3");
    CHECK(header[18] == 2);
    CHECK(header[19] == 2);

    ReadOnlyDb db(dir / "Manifest.db");
    CHECK(db.column("PRAGMA user_version") == std::vector<std::string>{"2"});
    CHECK(db.column("PRAGMA auto_vacuum") == std::vector<std::string>{"2"});
    CHECK(db.column("PRAGMA page_size") == std::vector<std::string>{"4096"});
    CHECK(db.column("PRAGMA quick_check") == std::vector<std::string>{"ok"});
    std::vector<std::string> schema =
        db.column("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid");
    CHECK(schema == std::vector<std::string>{
                        "CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath "
                        "TEXT, flags INTEGER, file BLOB)",
                        "CREATE INDEX FilesDomainIdx ON Files(domain)",
                        "CREATE INDEX FilesRelativePathIdx ON Files(relativePath)",
                        "CREATE INDEX FilesFlagsIdx ON Files(flags)",
                        "CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB)",
                    });
    CHECK(db.column("SELECT count(*) FROM Files WHERE relativePath = ''").front() ==
          db.column("SELECT count(DISTINCT domain) FROM Files").front());
}

TEST_CASE("an mbdb-era backup parses back to the records it was written from (§4)", "[testgen]")
{
    test::TempDir temp;
    BackupSpec spec;
    spec.format = IndexFormat::ManifestMbdb;
    spec.binary_plists = false;
    spec.file_count = 30;
    fs::path dir = make(spec, temp.path());
    CHECK(dir.filename().string().size() == 40);
    Bytes mbdb = read_bytes(dir / "Manifest.mbdb");
    REQUIRE(mbdb.size() > 6);
    CHECK(std::string(mbdb.begin(), mbdb.begin() + 4) == "mbdb");
    auto index = parse_mbdb(mbdb, "Manifest.mbdb");
    REQUIRE(index);
    CHECK(index->index_problems.empty());
    std::vector<FileRecord> expected = make_records(spec, device_profile(spec));
    REQUIRE(index->records.size() == expected.size());
    for (const FileRecord& record : index->records) {
        if (record.kind != FileKind::File) continue;
        REQUIRE(fs::exists(dir / record.file_id));  // flat, no xx/ folder
        CHECK(read_bytes(dir / record.file_id) == make_content(record, spec.seed));
    }
    auto backup = open_backup(real_file_system(), dir);
    REQUIRE(backup);
    CHECK_FALSE(backup->info.binary);
    CHECK(backup->status.value.version == "2.4");
    CHECK(backup->manifest.value.version == "9.1");
    CHECK(findings_of(dir).empty());
}

TEST_CASE("the same spec gives byte-identical backups", "[testgen]")
{
    for (bool encrypted : {false, true}) {
        for (IndexFormat format : {IndexFormat::ManifestDb, IndexFormat::ManifestMbdb}) {
            test::TempDir first, second;
            BackupSpec spec;
            spec.format = format;
            spec.encrypted = encrypted;
            spec.damages = {Damage::BlobMissing, Damage::OrphanBlob};
            auto a = test::snapshot_tree(make(spec, first.path()));
            auto b = test::snapshot_tree(make(spec, second.path()));
            CHECK(a == b);
            spec.seed = 2;
            test::TempDir third;
            CHECK(test::snapshot_tree(make(spec, third.path())) != a);
        }
    }
}

TEST_CASE("each damage changes the backup and verify reports exactly its finding",
          "[testgen][verify]")
{
    for (IndexFormat format : {IndexFormat::ManifestDb, IndexFormat::ManifestMbdb}) {
        test::TempDir healthy_parent;
        BackupSpec healthy;
        healthy.format = format;
        auto healthy_tree = test::snapshot_tree(make(healthy, healthy_parent.path()));
        for (Damage damage : all_damages()) {
            if (!damage_applies(damage, format, false)) continue;
            DYNAMIC_SECTION(damage_name(damage)
                            << (format == IndexFormat::ManifestDb ? " db" : " mbdb"))
            {
                test::TempDir temp;
                BackupSpec spec = healthy;
                spec.damages = {damage};
                fs::path dir = make(spec, temp.path());
                if (damage == Damage::FolderNameMismatch) {
                    CHECK(dir.filename() != udid_for(spec));
                } else {
                    CHECK(test::snapshot_tree(dir) != healthy_tree);
                }
                std::map<std::string, std::size_t> expected = {{expected_finding(damage), 1}};
                CHECK(findings_of(dir) == expected);
            }
        }
    }
}

TEST_CASE("damages combine, and impossible ones are refused", "[testgen]")
{
    test::TempDir temp;
    BackupSpec spec;
    spec.damages = {Damage::BlobMissing, Damage::OrphanBlob, Damage::BlobMisplaced,
                    Damage::OrphanEntry};
    auto findings = findings_of(make(spec, temp.path()));
    CHECK(findings ==
          std::map<std::string, std::size_t>{
              {"blob.missing", 1}, {"blob.misplaced", 1}, {"orphan.blob", 1}, {"orphan.entry", 1}});

    spec.format = IndexFormat::ManifestMbdb;
    spec.damages = {Damage::FileIdMismatch};
    auto refused = write_backup(spec, temp.path());
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::InvalidArgument);

    spec.format = IndexFormat::ManifestDb;
    spec.damages = {};
    spec.file_count = 0;
    auto empty = write_backup(spec, temp.path() / "empty");
    REQUIRE(empty);
    CHECK(fs::exists(*empty / "Manifest.db"));
    CHECK(parse_damage("blob_missing") == Damage::BlobMissing);
    CHECK_FALSE(parse_damage("no_such_damage"));
}
