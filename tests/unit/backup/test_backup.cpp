#include "bkcheck/backup.h"

#include "support/hostile_plists.h"
#include "support/temp_dir.h"

#include <plist/plist.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>

using namespace bkcheck;
using bkcheck::test::real_fixtures;
using bkcheck::test::TempDir;
using bkcheck::test::write_text;

namespace {

constexpr const char* k_status_finished = R"(<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
<key>SnapshotState</key><string>finished</string><key>BackupState</key><string>new</string>
<key>IsFullBackup</key><false/><key>Version</key><string>3.3</string>
<key>Date</key><date>2024-05-01T09:30:00Z</date></dict></plist>)";

// Writes Manifest.plist as a *binary* plist, the way the device does.
void write_binary_manifest(const fs::path& file, const char* udid, bool encrypted)
{
    plist_t root = plist_new_dict();
    plist_dict_set_item(root, "IsEncrypted", plist_new_bool(encrypted));
    plist_dict_set_item(root, "Version", plist_new_string("10.0"));
    plist_t lockdown = plist_new_dict();
    plist_dict_set_item(lockdown, "UniqueDeviceID", plist_new_string(udid));
    plist_dict_set_item(lockdown, "ProductVersion", plist_new_string("17.4"));
    plist_dict_set_item(lockdown, "DeviceName", plist_new_string("Ann's iPhone"));
    plist_dict_set_item(root, "Lockdown", lockdown);
    char* bytes = nullptr;
    std::uint32_t length = 0;
    plist_to_bin(root, &bytes, &length);
    write_text(file, std::string_view(bytes, length));
    std::free(bytes);
    plist_free(root);
}

}  // namespace

TEST_CASE("open_backup reads XML and binary plists", "[backup]")
{
    TempDir temp;
    fs::path dir = temp.path() / "renamed-folder";
    write_text(dir / "Status.plist", k_status_finished);
    write_binary_manifest(dir / "Manifest.plist", "00008030-001A35E11A88802E", true);
    write_text(dir / "Manifest.db", "");

    auto backup = open_backup(real_file_system(), dir);
    REQUIRE(backup);
    CHECK(backup->status.ok());
    CHECK_FALSE(backup->status.binary);
    CHECK(backup->status.value.snapshot_state == "finished");
    CHECK(backup->status.value.date == 1714555800);
    CHECK(backup->manifest.ok());
    CHECK(backup->manifest.binary);
    CHECK(backup->encrypted);
    CHECK(backup->udid() == "00008030-001a35e11a88802e");
    CHECK(backup->device_name() == "Ann's iPhone");
    CHECK(backup->info.state == PartState::Missing);
    CHECK(backup->format == BackupFormat::ManifestDb);
    CHECK(backup->state() == BackupState::Complete);
}

TEST_CASE("open_backup records damaged plists instead of failing", "[backup]")
{
    TempDir temp;
    write_text(temp.path() / "Info.plist", "not a plist at all");
    write_text(temp.path() / "Status.plist", "<?xml version=\"1.0\"?><plist><array/></plist>");
    write_text(temp.path() / "Manifest.mbdb", "");
    write_text(temp.path() / "Snapshot" / "Status.plist", k_status_finished);

    auto backup = open_backup(real_file_system(), temp.path());
    REQUIRE(backup);
    CHECK(backup->info.state == PartState::Unreadable);
    CHECK(backup->info.problem.find("not a property list") != std::string::npos);
    CHECK(backup->status.state == PartState::Unreadable);
    CHECK(backup->status.problem.find("not a dictionary") != std::string::npos);
    CHECK(backup->manifest.state == PartState::Missing);
    CHECK(backup->format == BackupFormat::ManifestMbdb);
    CHECK(backup->snapshot_dir_present);
    CHECK(backup->state() == BackupState::Unreadable);
}

TEST_CASE("open_backup tells a folder that is no backup, and legacy backups", "[backup]")
{
    TempDir temp;
    write_text(temp.path() / "empty" / "notes.txt", "x");
    auto not_backup = open_backup(real_file_system(), temp.path() / "empty");
    REQUIRE_FALSE(not_backup);
    CHECK(not_backup.error().code == ErrorCode::NotABackup);

    auto missing = open_backup(real_file_system(), temp.path() / "missing");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::NotFound);
    CHECK(missing.error().path.find("missing") != std::string::npos);

    write_text(temp.path() / "old" / "Manifest.plist", "x");
    write_text(temp.path() / "old" / "Manifest.mbdx", "x");
    auto legacy = open_backup(real_file_system(), temp.path() / "old");
    REQUIRE(legacy);
    CHECK(legacy->format == BackupFormat::LegacyUnsupported);
}

TEST_CASE("an interrupted backup: SnapshotState not finished", "[backup]")
{
    TempDir temp;
    std::string status = k_status_finished;
    status.replace(status.find("finished"), 8, "uploading");
    write_text(temp.path() / "Status.plist", status);
    write_binary_manifest(temp.path() / "Manifest.plist",
                          "5e8dfbc7f9f29a7645d66ef70b6f2d3f5dad8583", false);
    write_text(temp.path() / "Manifest.db", "");
    auto backup = open_backup(real_file_system(), temp.path());
    REQUIRE(backup);
    CHECK(backup->state() == BackupState::Interrupted);
}

TEST_CASE("real iOS 9.3.6 backup: identity from the plists, not the folder name", "[backup][real]")
{
    fs::path fixtures = real_fixtures();
    if (fixtures.empty()) {
        WARN("skipped: ../shared/fixtures/real is not present");
        return;
    }
    fs::path dir =
        fixtures / "hackvent2020-ios9-encrypted" / "65195ba5-2dac-49a4-9606-c9d8733bebcf";
    auto backup = open_backup(real_file_system(), dir);
    REQUIRE(backup);
    CHECK(backup->udid() == "5e8dfbc7f9f29a7645d66ef70b6f2d3f5dad8583");
    CHECK(backup->folder_name == "65195ba5-2dac-49a4-9606-c9d8733bebcf");
    CHECK(backup->device_name() == "Santas Phone");
    CHECK(backup->product_version() == "9.3.6");
    CHECK(backup->product_type() == "iPhone4,1");
    CHECK(backup->encrypted);
    CHECK(backup->format == BackupFormat::ManifestMbdb);
    CHECK(backup->info.value.build_version == "13G37");
    CHECK(backup->manifest.value.keybag.size() == 1336);
    CHECK(backup->state() == BackupState::Complete);
}

TEST_CASE("real iOS 14.3 folder: binary Info.plist, no Manifest.plist", "[backup][real]")
{
    fs::path fixtures = real_fixtures();
    if (fixtures.empty()) {
        WARN("skipped: ../shared/fixtures/real is not present");
        return;
    }
    auto backup = open_backup(real_file_system(), fixtures / "mvt-ios14-manifest" / "ios_backup");
    REQUIRE(backup);
    CHECK(backup->info.ok());
    CHECK(backup->info.binary);
    CHECK(backup->info.value.product_version == "14.3");
    CHECK(backup->info.value.product_type == "iPhone9,3");
    CHECK(backup->manifest.state == PartState::Missing);
    CHECK(backup->state() == BackupState::Unreadable);
}

// Issue 19: a hostile Info, Status or Manifest.plist is unreadable at once, named with the bound.
TEST_CASE("open_backup: plists beyond the bounds are unreadable, the rest still read",
          "[backup][issue-19]")
{
    TempDir temp;
    Bytes shared = test::shared_reference_plist(64);
    write_text(temp.path() / "Info.plist",
               std::string_view(reinterpret_cast<const char*>(shared.data()), shared.size()));
    Bytes deep = test::nested_arrays_plist(100'000);
    write_text(temp.path() / "Status.plist",
               std::string_view(reinterpret_cast<const char*>(deep.data()), deep.size()));
    write_text(temp.path() / "Manifest.plist", test::nested_arrays_xml(100'000));
    write_text(temp.path() / "Manifest.mbdb", "");

    auto start = std::chrono::steady_clock::now();
    auto backup = open_backup(real_file_system(), temp.path());
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    REQUIRE(backup);
    CHECK(took.count() < 1.0);
    CHECK(backup->info.state == PartState::Unreadable);
    CHECK(backup->info.problem.find("more than 1000000 values") != std::string::npos);
    CHECK(backup->status.state == PartState::Unreadable);
    CHECK(backup->status.problem.find("more than 512 levels deep") != std::string::npos);
    CHECK(backup->manifest.state == PartState::Unreadable);
    CHECK(backup->manifest.problem.find("more than 512 levels deep") != std::string::npos);
    CHECK(backup->format == BackupFormat::ManifestMbdb);
}
