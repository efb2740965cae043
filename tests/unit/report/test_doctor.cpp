// doctor on generated situations: a nearly full volume and an unreadable folder come through the
// FileSystem seam (tests run as root, where chmod 000 denies nothing); the rest are real backups
// written by make_backup with real damages.
#include "bkcheck/doctor.h"
#include "bkcheck/unlock.h"

#include "make_backup/backup_writer.h"
#include "support/temp_dir.h"
#include "support/tree_snapshot.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

using namespace bkcheck;
using namespace bkcheck::test;
using testgen::Damage;

namespace {

// The real disk, except for the free space it reports and the folders it refuses to list.
class SimulatedVolume final : public FileSystem {
public:
    std::uint64_t free = 1ull << 40;
    std::set<fs::path> denied;

    Result<FileStat> stat(const fs::path& path) const override { return real().stat(path); }
    Result<std::vector<DirEntry>> list(const fs::path& dir) const override
    {
        if (denied.count(dir) != 0) return error_from_errno(EACCES, dir, "cannot list");
        return real().list(dir);
    }
    Result<Bytes> read_file(const fs::path& path, std::uint64_t max_size) const override
    {
        return real().read_file(path, max_size);
    }
    Result<std::unique_ptr<SequentialReader>> open_read(const fs::path& path) const override
    {
        return real().open_read(path);
    }
    Result<std::uint64_t> free_space(const fs::path&) const override { return free; }
    Result<std::string> read_link(const fs::path& path) const override
    {
        return real().read_link(path);
    }

private:
    static const FileSystem& real() { return real_file_system(); }
};

fs::path write(const testgen::BackupSpec& spec, const fs::path& parent)
{
    auto written = testgen::write_backup(spec, parent);
    REQUIRE(written);
    return *written;
}

DoctorOptions options_now()
{
    DoctorOptions options;
    options.now = 1'900'000'000;  // after every generated backup's dates
    options.threads = 1;
    return options;
}

std::vector<std::string> codes(const DoctorReport& report)
{
    std::vector<std::string> out;
    for (const Diagnosis& diagnosis : report.diagnoses) out.push_back(diagnosis.code);
    return out;
}

const Diagnosis* find(const DoctorReport& report, const std::string& code)
{
    for (const Diagnosis& diagnosis : report.diagnoses) {
        if (diagnosis.code == code) return &diagnosis;
    }
    return nullptr;
}

}  // namespace

TEST_CASE("doctor: a healthy backup on a roomy volume has no problem", "[doctor]")
{
    TempDir temp;
    testgen::BackupSpec spec;
    spec.file_count = 8;
    write(spec, temp.path());
    SimulatedVolume volume;
    TreeSnapshot before = snapshot_tree(temp.path());
    auto report = diagnose(volume, {temp.path()}, options_now());
    REQUIRE(report);
    CHECK(report->backups.size() == 1);
    CHECK_FALSE(report->problems());
    CHECK(report->diagnoses.empty());
    CHECK(snapshot_tree(temp.path()) == before);  // doctor writes nothing
}

TEST_CASE(
    "doctor: a nearly full volume is the first cause, with ErrorCode 105 and prune as the fix",
    "[doctor]")
{
    TempDir temp;
    testgen::BackupSpec healthy;
    healthy.file_count = 8;
    write(healthy, temp.path());
    testgen::BackupSpec interrupted;
    interrupted.file_count = 8;
    interrupted.seed = 2;
    interrupted.damages = {Damage::SnapshotDirPresent};
    write(interrupted, temp.path());

    SimulatedVolume volume;
    volume.free = 100ull << 20;  // 100 MB: below the 1 GiB headroom
    auto report = diagnose(volume, {temp.path()}, options_now());
    REQUIRE(report);
    CHECK(report->problems());
    REQUIRE(report->diagnoses.size() >= 2);
    const Diagnosis& first = report->diagnoses.front();
    CHECK(first.code == "space.short");
    CHECK(first.severity == Severity::Error);
    CHECK(first.subject == temp.path());
    CHECK(first.cause.find("ErrorCode 105") != std::string::npos);
    CHECK(first.fix.find("bkcheck prune " + shell_quote(temp.path())) != std::string::npos);
    CHECK(report->diagnoses[1].code == "backup.interrupted");

    SECTION("just above the headroom, only a full backup would not fit: a warning")
    {
        volume.free = (1ull << 30) + 1;
        auto low = diagnose(volume, {temp.path()}, options_now());
        REQUIRE(low);
        REQUIRE(find(*low, "space.low") != nullptr);
        CHECK(find(*low, "space.low")->severity == Severity::Warning);
        CHECK(find(*low, "space.short") == nullptr);
    }
}

TEST_CASE(
    "doctor: interrupted, damaged and unreadable backups, each with its command, interrupted first",
    "[doctor]")
{
    TempDir temp;
    testgen::BackupSpec damaged;
    damaged.file_count = 8;
    damaged.damages = {Damage::BlobMissing};
    fs::path damaged_dir = write(damaged, temp.path());
    testgen::BackupSpec interrupted;
    interrupted.file_count = 8;
    interrupted.seed = 2;
    interrupted.damages = {Damage::SnapshotDirPresent};
    fs::path interrupted_dir = write(interrupted, temp.path());
    testgen::BackupSpec unreadable;
    unreadable.file_count = 8;
    unreadable.seed = 3;
    unreadable.damages = {Damage::ManifestMissing};
    fs::path unreadable_dir = write(unreadable, temp.path());

    SimulatedVolume volume;
    auto report = diagnose(volume, {temp.path()}, options_now());
    REQUIRE(report);
    CHECK(codes(*report) ==
          std::vector<std::string>{"backup.interrupted", "backup.unreadable", "backup.damaged"});
    CHECK(report->diagnoses[0].subject == interrupted_dir);
    CHECK(report->diagnoses[0].evidence.find("snapshot_dir.present") != std::string::npos);
    CHECK(report->diagnoses[0].fix == "bkcheck prune " + shell_quote(interrupted_dir) +
                                          " shows the plan; bkcheck prune --apply " +
                                          shell_quote(interrupted_dir) + " carries it out");
    CHECK(report->diagnoses[1].subject == unreadable_dir);
    CHECK(report->diagnoses[2].subject == damaged_dir);
    CHECK(report->diagnoses[2].evidence.find("1 x blob.missing") != std::string::npos);
    CHECK(report->diagnoses[2].fix.find("bkcheck repair " + shell_quote(damaged_dir)) == 0);
}

TEST_CASE("doctor: a folder that may not be read is named as a permission problem", "[doctor]")
{
    TempDir temp;
    testgen::BackupSpec spec;
    spec.file_count = 4;
    write(spec, temp.path());
    SimulatedVolume volume;
    volume.denied.insert(temp.path());
    DoctorOptions options = options_now();

    SECTION("on macOS: Full Disk Access")
    {
        options.platform = Platform::MacOS;
        auto report = diagnose(volume, {temp.path()}, options);
        REQUIRE(report);
        REQUIRE(codes(*report) == std::vector<std::string>{"access.denied"});
        CHECK(report->diagnoses[0].cause.find("Full Disk Access") != std::string::npos);
        CHECK(report->diagnoses[0].fix.find("Full Disk Access") != std::string::npos);
        CHECK(report->diagnoses[0].evidence.find(std::strerror(EACCES)) != std::string::npos);
    }
    SECTION("elsewhere: permission denied")
    {
        auto report = diagnose(volume, {temp.path()}, options);
        REQUIRE(report);
        REQUIRE(codes(*report) == std::vector<std::string>{"access.denied"});
        CHECK(report->diagnoses[0].cause.find("permission denied") != std::string::npos);
    }
}

TEST_CASE("doctor: identity mismatch, newer iOS than another backup of the device, duplicates",
          "[doctor]")
{
    TempDir temp;
    testgen::BackupSpec ios17;
    ios17.file_count = 4;
    ios17.udid = "00008030-000A1B2C3D4E5F60";
    fs::path newer = write(ios17, temp.path());
    testgen::BackupSpec ios9 = ios17;
    ios9.format = IndexFormat::ManifestMbdb;
    ios9.folder_name = ios17.udid + "-20160101-120000";  // an archived copy of the same device
    fs::path older = write(ios9, temp.path());
    testgen::BackupSpec mismatch;
    mismatch.file_count = 4;
    mismatch.seed = 5;
    mismatch.damages = {Damage::IdentityMismatch};
    fs::path mismatched = write(mismatch, temp.path());

    SimulatedVolume volume;
    DoctorOptions options = options_now();
    options.old_after_days = 100'000;  // not old: duplicates
    auto report = diagnose(volume, {temp.path()}, options);
    REQUIRE(report);
    const Diagnosis* identity = find(*report, "identity.mismatch");
    REQUIRE(identity != nullptr);
    CHECK(identity->subject == mismatched);
    CHECK(find(*report, "backup.damaged") == nullptr);  // the mismatch is its own diagnosis
    const Diagnosis* ios = find(*report, "ios.newer");
    REQUIRE(ios != nullptr);
    CHECK(ios->subject == newer);
    CHECK(ios->cause.find("iOS 17") != std::string::npos);
    const Diagnosis* duplicate = find(*report, "backup.duplicate");
    REQUIRE(duplicate != nullptr);
    CHECK(duplicate->fix == "bkcheck prune --keep-last 1 " + shell_quote(temp.path()));
    CHECK(duplicate->subject != ios->subject);
    CHECK(report->diagnoses.front().code == "identity.mismatch");  // errors before advice

    SECTION("older than the limit: an old backup instead")
    {
        options.old_after_days = 1;
        auto old = diagnose(volume, {temp.path()}, options);
        REQUIRE(old);
        REQUIRE(find(*old, "backup.old") != nullptr);
        CHECK(find(*old, "backup.old")->fix ==
              "bkcheck prune --older-than 1 " + shell_quote(temp.path()));
        CHECK(find(*old, "backup.duplicate") == nullptr);
    }
}

TEST_CASE("doctor: an encrypted backup with the wrong password, and a path with a space quoted",
          "[doctor]")
{
    TempDir temp;
    fs::path root = temp.path() / "Application Support";
    fs::create_directories(root);
    testgen::BackupSpec spec;
    spec.file_count = 4;
    spec.encrypted = true;
    fs::path dir = write(spec, root);
    SimulatedVolume volume;
    DoctorOptions options = options_now();
    options.unlock = [](const Backup&) -> Result<const ClassKeys*> {
        return make_error(ErrorCode::WrongPassword, "", "the password does not unlock the keybag");
    };
    auto report = diagnose(volume, {root}, options);
    REQUIRE(report);
    const Diagnosis* wrong = find(*report, "password.wrong");
    REQUIRE(wrong != nullptr);
    CHECK(wrong->fix.rfind("bkcheck unlock " + shell_quote(dir) + " tries another password.", 0) ==
          0);
    // A forgotten password: Apple's way out and what it costs, and the line to search with.
    CHECK(wrong->fix.find("stays locked") != std::string::npos);
    CHECK(wrong->fix.find("Reset All Settings") != std::string::npos);
    CHECK(wrong->fix.find("new encrypted backup") != std::string::npos);
    CHECK(wrong->fix.find("bkcheck unlock --hash-line " + shell_quote(dir)) != std::string::npos);
    CHECK(report->problems());
}

TEST_CASE(
    "doctor: the right password unlocks an encrypted backup; --read-data checks every file's key",
    "[doctor]")
{
    TempDir temp;
    testgen::BackupSpec spec;
    spec.file_count = 4;
    spec.encrypted = true;
    fs::path dir = write(spec, temp.path());
    SimulatedVolume volume;
    DoctorOptions options = options_now();
    std::vector<UnlockedKeys> keys;
    keys.reserve(4);
    options.unlock = [&](const Backup& backup) -> Result<const ClassKeys*> {
        auto unlocked = unlock_with_password(backup, spec.password);
        if (!unlocked) return unlocked.error();
        keys.push_back(std::move(*unlocked));
        return keys.back().class_keys.get();
    };
    auto structure = diagnose(volume, {temp.path()}, options);
    REQUIRE(structure);
    CHECK_FALSE(structure->problems());
    REQUIRE(codes(*structure) == std::vector<std::string>{"encryption.unchecked"});
    CHECK(structure->diagnoses[0].fix == "bkcheck doctor --read-data " + shell_quote(dir));

    options.read_data = true;
    auto full = diagnose(volume, {temp.path()}, options);
    REQUIRE(full);
    CHECK(full->diagnoses.empty());
}
