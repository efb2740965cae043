#include "manifest_db.h"
#include "manifest_db_builder.h"
#include "mbfile.h"

#include "sqlite_handle.h"
#include "support/file_contents.h"
#include "support/sample_records.h"
#include "support/temp_dir.h"
#include "support/tree_snapshot.h"
#include "support/utf8_path.h"

#include <sqlite3.h>
#ifndef _WIN32
#include <sys/stat.h>
#endif
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

using namespace bkcheck;
namespace fs = std::filesystem;

namespace {

using test::read_bytes;

void execute(sqlite3* db, const char* sql)
{
    REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
}

}  // namespace

TEST_CASE("Manifest.db: written with Apple's settings, read back row for row", "[manifest_db]")
{
    test::TempDir temp;
    fs::path db = temp.path() / "Manifest.db";
    auto records = test::sample_records();
    REQUIRE(write_manifest_db(real_writable_file_system(), db, records));
    Bytes image = read_bytes(db);
    REQUIRE(image.size() > 100);
    CHECK(image[18] == 2);  // WAL mode, as Apple writes it
    CHECK(image[19] == 2);
    CHECK(image[52 + 3] != 0);  // largest root page set: auto_vacuum on
    CHECK(image[60 + 3] == 2);  // user_version 2
    CHECK(image[64 + 3] == 1);  // incremental vacuum

    auto before = test::snapshot_tree(temp.path());
    auto index = read_manifest_db(real_file_system(), db);
    REQUIRE(index);
    CHECK(test::snapshot_tree(temp.path()) == before);  // immutable=1 created no -wal/-shm
    CHECK(index->index_problems.empty());
    CHECK(index->unreadable.empty());
    REQUIRE(index->records.size() == records.size());
    for (const FileRecord& record : records) {
        auto it = std::find_if(index->records.begin(), index->records.end(),
                               [&](const FileRecord& r) { return r.file_id == record.file_id; });
        REQUIRE(it != index->records.end());
        CHECK(it->domain == record.domain);
        CHECK(it->relative_path == record.relative_path);
        CHECK(it->kind == record.kind);
        CHECK(test::same_attributes(*it, record));
    }
    CHECK_FALSE(write_manifest_db(real_writable_file_system(), db, records));  // never overwrites
}

TEST_CASE("ManifestDbBuilder: rows added one at a time give the image built at once",
          "[manifest_db]")
{
    auto records = test::sample_records();
    std::vector<ManifestRow> rows;
    for (const FileRecord& record : records) {
        rows.push_back({record.file_id, record.domain, record.relative_path, record.flags,
                        encode_mbfile(record)});
    }
    auto at_once = build_manifest_db_image(rows);
    REQUIRE(at_once);

    auto builder = ManifestDbBuilder::open();
    REQUIRE(builder);
    for (const ManifestRow& row : rows) REQUIRE(builder->add(row));
    CHECK(builder->rows() == rows.size());
    // A fileID seen before: refused, naming it, and the rows before it stay.
    Status repeated = builder->add(rows.front());
    REQUIRE_FALSE(repeated);
    CHECK(repeated.error().code == ErrorCode::Corrupt);
    CHECK(repeated.error().message.find(rows.front().file_id) != std::string::npos);
    Bytes pieces;
    std::size_t piece_count = 0;
    REQUIRE(builder->finish([&](ByteView piece) {
        ++piece_count;
        pieces.insert(pieces.end(), piece.begin(), piece.end());
        return Status(Ok{});
    }));
    CHECK(piece_count > 1);  // handed over where it lies, not copied whole first
    CHECK(pieces == *at_once);
    CHECK_FALSE(builder->add(rows.front()));  // finished: no more rows

    test::TempDir temp;
    fs::path db = temp.path() / "Manifest.db";
    {
        std::ofstream out(db, std::ios::binary);
        out.write(reinterpret_cast<const char*>(pieces.data()),
                  static_cast<std::streamsize>(pieces.size()));
    }
    auto index = read_manifest_db(real_file_system(), db);
    REQUIRE(index);
    CHECK(index->records.size() == records.size());

    // A failing writer's error is the finish's error.
    auto failing = ManifestDbBuilder::open();
    REQUIRE(failing);
    REQUIRE(failing->add(rows.front()));
    Status refused = failing->finish(
        [](ByteView) { return Status(make_error(ErrorCode::Io, "out", "disk full")); });
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message == "disk full");
}

TEST_CASE("Manifest.db: committed rows in a -wal are read, from a private copy", "[manifest_db]")
{
    test::TempDir temp;
    fs::path work = temp.path() / "work";
    fs::create_directories(work);
    REQUIRE(write_manifest_db(real_writable_file_system(), work / "Manifest.db",
                              test::sample_records()));
    {
        // Commit one more row and keep it in the -wal: copy the files while the connection is open.
        sqlite3* raw = nullptr;
        REQUIRE(sqlite3_open(test::utf8_path(work / "Manifest.db").c_str(), &raw) == SQLITE_OK);
        detail::SqliteDb db(raw);
        execute(db.get(), "PRAGMA wal_autocheckpoint=0");
        execute(db.get(),
                "INSERT INTO Files SELECT 'ffffffffffffffffffffffffffffffffffffffff', domain, "
                "'extra', flags, file "
                "FROM Files WHERE relativePath='Library'");
        fs::create_directories(temp.path() / "backup");
        fs::copy_file(work / "Manifest.db", temp.path() / "backup" / "Manifest.db");
        fs::copy_file(work / "Manifest.db-wal", temp.path() / "backup" / "Manifest.db-wal");
    }
    fs::path backup = temp.path() / "backup";
    REQUIRE(fs::file_size(backup / "Manifest.db-wal") > 0);
    auto before = test::snapshot_tree(backup);
    auto index = read_manifest_db(real_file_system(), backup / "Manifest.db");
    REQUIRE(index);
    CHECK(index->records.size() == test::sample_records().size() + 1);
    CHECK(test::snapshot_tree(backup) == before);

    // The image salvage and repair start from has the -wal's row folded in too.
    auto image = load_manifest_db_image(real_file_system(), backup / "Manifest.db");
    REQUIRE(image);
    auto rows = salvage_manifest_rows(std::move(*image), "Manifest.db");
    REQUIRE(rows);
    CHECK(rows->problems.empty());
    CHECK(rows->rows.size() == test::sample_records().size() + 1);
    CHECK(test::snapshot_tree(backup) == before);

#ifndef _WIN32  // Windows has no FIFOs in the file system
    // A -wal that is not a regular file (a FIFO would block the copy for ever) is an error naming
    // it.
    fs::remove(backup / "Manifest.db-wal");
    REQUIRE(::mkfifo((backup / "Manifest.db-wal").c_str(), 0600) == 0);
    auto blocked = load_manifest_db_image(real_file_system(), backup / "Manifest.db");
    REQUIRE_FALSE(blocked);
    CHECK(blocked.error().path.find("Manifest.db-wal") != std::string::npos);
#endif
}

TEST_CASE("Manifest.db: an image in memory opens despite WAL mode", "[manifest_db]")
{
    test::TempDir temp;
    REQUIRE(write_manifest_db(real_writable_file_system(), temp.path() / "Manifest.db",
                              test::sample_records()));
    Bytes image = read_bytes(temp.path() / "Manifest.db");
    auto index = read_manifest_db_image(image, "decrypted Manifest.db");
    REQUIRE(index);
    CHECK(index->records.size() == test::sample_records().size());

    auto garbage = read_manifest_db_image(Bytes(4096, 7), "x");
    REQUIRE_FALSE(garbage);
    CHECK(garbage.error().message == "not a SQLite database");
}

TEST_CASE("Manifest.db: damage is reported, not fatal", "[manifest_db]")
{
    test::TempDir temp;
    fs::path db = temp.path() / "Manifest.db";
    REQUIRE(write_manifest_db(real_writable_file_system(), db, test::sample_records()));
    Bytes image = read_bytes(db);

    SECTION("a row whose archive is garbage is unreadable, the rest are read")
    {
        sqlite3* raw = nullptr;
        REQUIRE(sqlite3_open(test::utf8_path(db).c_str(), &raw) == SQLITE_OK);
        detail::SqliteDb handle(raw);
        execute(handle.get(), "UPDATE Files SET file = x'00010203' WHERE relativePath = 'Library'");
        execute(handle.get(), "UPDATE Files SET file = NULL WHERE relativePath = ''");
        handle.reset();
        auto index = read_manifest_db(real_file_system(), db);
        REQUIRE(index);
        CHECK(index->unreadable.size() == 2);
        CHECK(index->records.size() == test::sample_records().size() - 2);
    }
    SECTION("a foreign schema is an index problem; no Files table is Corrupt")
    {
        sqlite3* raw = nullptr;
        REQUIRE(sqlite3_open(test::utf8_path(db).c_str(), &raw) == SQLITE_OK);
        detail::SqliteDb handle(raw);
        execute(handle.get(), "CREATE TABLE Extra (x)");
        handle.reset();
        auto index = read_manifest_db(real_file_system(), db);
        REQUIRE(index);
        REQUIRE(index->index_problems.size() == 1);
        CHECK(index->index_problems[0] == "unexpected schema: CREATE TABLE Extra (x)");

        image[100] ^= 0xFF;  // no longer a valid first page
        auto broken = read_manifest_db_image(image, "m");
        CHECK((!broken || !broken->index_problems.empty()));
    }
    SECTION(
        "the integrity check reports the same lines, in the same place, beside the rows or "
        "after them")
    {
        // An unexpected table (a schema problem) and an index whose page is garbage (only the
        // integrity check sees it: the rows are read from the table): the file is checked on a
        // second connection while the rows stream, the image in memory on one connection, first.
        sqlite3* raw = nullptr;
        REQUIRE(sqlite3_open(test::utf8_path(db).c_str(), &raw) == SQLITE_OK);
        detail::SqliteDb handle(raw);
        execute(handle.get(), "CREATE TABLE Extra (x)");
        auto root = detail::prepare(
            handle.get(), "SELECT rootpage FROM sqlite_master WHERE name = 'FilesDomainIdx'");
        REQUIRE(sqlite3_step(root.get()) == SQLITE_ROW);
        auto page = static_cast<std::size_t>(sqlite3_column_int64(root.get(), 0));
        root.reset();
        handle.reset();
        Bytes damaged = read_bytes(db);
        std::size_t page_size = static_cast<std::size_t>(damaged[16]) << 8 | damaged[17];
        if (page_size == 1) page_size = 65536;
        REQUIRE(damaged.size() >= page * page_size);
        std::fill_n(damaged.begin() + static_cast<std::ptrdiff_t>((page - 1) * page_size), 64,
                    std::uint8_t{0xEE});
        std::ofstream(db, std::ios::binary | std::ios::trunc)
            .write(reinterpret_cast<const char*>(damaged.data()),
                   static_cast<std::streamsize>(damaged.size()));

        auto from_file = read_manifest_db(real_file_system(), db);
        auto from_image = read_manifest_db_image(damaged, "Manifest.db");
        REQUIRE(from_file);
        REQUIRE(from_image);
        REQUIRE(from_file->index_problems.size() >= 2);
        CHECK(from_file->index_problems[0] == "unexpected schema: CREATE TABLE Extra (x)");
        CHECK(from_file->index_problems[1].rfind("integrity check: ", 0) == 0);
        CHECK(from_file->index_problems == from_image->index_problems);
        CHECK(from_file->records.size() == test::sample_records().size());
        CHECK(from_image->records.size() == from_file->records.size());
    }
    SECTION("missing and not-a-database files")
    {
        CHECK(read_manifest_db(real_file_system(), temp.path() / "nope.db").error().code ==
              ErrorCode::NotFound);
        test::write_text(temp.path() / "text.db", std::string(8192, 'x'));
        auto text = read_manifest_db(real_file_system(), temp.path() / "text.db");
        CHECK_FALSE(text);
    }
}

TEST_CASE("Manifest.db: the real iOS 14.3 index", "[manifest_db][real]")
{
    fs::path fixtures = test::real_fixtures();
    if (fixtures.empty()) {
        WARN("skipped: ../shared/fixtures/real is not present");
        return;
    }
    fs::path dir = fixtures / "mvt-ios14-manifest" / "ios_backup";
    auto index = read_manifest_db(real_file_system(), dir / "Manifest.db");
    REQUIRE(index);
    CHECK(index->index_problems.empty());
    CHECK(index->unreadable.empty());
    REQUIRE(index->records.size() == 3721);
    std::size_t files = 0, digests = 0, keys = 0, class_agrees = 0;
    for (const FileRecord& record : index->records) {
        CHECK(record.file_id == file_id_for(record.domain, record.relative_path));
        if (record.kind != FileKind::File) continue;
        ++files;
        digests += record.digest.size() == 20;
        if (record.encryption_key.size() == 44) {
            ++keys;
            std::uint32_t key_class = record.encryption_key[0] | record.encryption_key[1] << 8 |
                                      record.encryption_key[2] << 16 |
                                      static_cast<std::uint32_t>(record.encryption_key[3]) << 24;
            class_agrees += key_class == record.protection_class;
        }
    }
    CHECK(files == 1089);
    CHECK(digests == 477);
    CHECK(keys == 1089);
    CHECK(class_agrees == 1089);
}
