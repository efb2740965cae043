#include "bkcheck/discovery.h"

#include "support/temp_dir.h"

#include <catch2/catch.hpp>

using namespace bkcheck;
using bkcheck::test::TempDir;
using bkcheck::test::write_text;

TEST_CASE("default roots per platform come from the environment given", "[discovery]")
{
    Environment mac{Platform::MacOS, "/Users/ann", "", ""};
    auto roots = default_backup_roots(mac);
    REQUIRE(roots.size() == 1);
    CHECK(roots[0].path == "/Users/ann/Library/Application Support/MobileSync/Backup");
    // macOS guards it with its privacy protection: the setting that grants access comes with it.
    CHECK(roots[0].access_setting == k_full_disk_access_setting);

    Environment windows{Platform::Windows, "", "C:/Users/bo/AppData/Roaming", "C:/Users/bo"};
    roots = default_backup_roots(windows);
    REQUIRE(roots.size() == 2);
    CHECK(roots[0].path == "C:/Users/bo/AppData/Roaming/Apple Computer/MobileSync/Backup");
    CHECK(roots[1].path == "C:/Users/bo/Apple/MobileSync/Backup");
    CHECK(roots[0].access_setting.empty());

    CHECK(default_backup_roots(Environment{Platform::Linux, "/home/x", "", ""}).empty());
    CHECK(default_backup_roots(Environment{Platform::MacOS, "", "", ""}).empty());
}

TEST_CASE("folder names: UDID shapes and archived copies", "[discovery]")
{
    auto plain = parse_backup_folder_name("5e8dfbc7f9f29a7645d66ef70b6f2d3f5dad8583");
    CHECK(plain.looks_like_udid);
    CHECK(plain.archived_at.empty());

    auto modern = parse_backup_folder_name("00008030-001A35E11A88802E");
    CHECK(modern.looks_like_udid);
    CHECK(modern.udid == "00008030-001A35E11A88802E");

    auto archived =
        parse_backup_folder_name("000e90a1b2c3d4e5f60718293a4b5c6d7e8f535b-20180801-210921");
    CHECK(archived.udid == "000e90a1b2c3d4e5f60718293a4b5c6d7e8f535b");
    CHECK(archived.archived_at == "20180801-210921");

    auto renamed = parse_backup_folder_name("65195ba5-2dac-49a4-9606-c9d8733bebcf");
    CHECK_FALSE(renamed.looks_like_udid);
    CHECK(renamed.udid == "65195ba5-2dac-49a4-9606-c9d8733bebcf");

    // A stamp after something that is not a UDID is not an archived copy.
    CHECK(parse_backup_folder_name("my-backup-20180801-210921").archived_at.empty());
}

TEST_CASE("find_backups: a backup itself, or the backups in a folder", "[discovery]")
{
    TempDir temp;
    write_text(temp.path() / "a" / "Manifest.plist", "x");
    write_text(temp.path() / "b" / "Status.plist", "x");
    write_text(temp.path() / "not-a-backup" / "notes.txt", "x");
    write_text(temp.path() / "stray.txt", "x");

    auto found = find_backups(real_file_system(), temp.path());
    REQUIRE(found);
    REQUIRE(found->size() == 2);
    CHECK((*found)[0].filename() == "a");
    CHECK((*found)[1].filename() == "b");

    auto itself = find_backups(real_file_system(), temp.path() / "a");
    REQUIRE(itself);
    REQUIRE(itself->size() == 1);

    auto missing = find_backups(real_file_system(), temp.path() / "nope");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::NotFound);
}

TEST_CASE("size_on_disk adds up regular files in nested folders", "[discovery]")
{
    TempDir temp;
    write_text(temp.path() / "Info.plist", "12345");
    write_text(temp.path() / "ab" / "ab00000000000000000000000000000000000000", "123");
    CHECK(size_on_disk(real_file_system(), temp.path()) == 8);
}
