// A blob this user may not read (EACCES, EPERM) was not examined: access.denied, counted as not
// checked, verdict unchecked, and repair drops nothing for it. Before, it was blob.unreadable, an
// error, and repair planned to drop the record (the sms.db of a real trial) and quarantine its
// blob. The same for extract and export (not written, said, never damage), for a backup folder or
// plist this user may not read (discovery lists it, doctor and verify say access.denied, prune
// --unrecoverable never takes it for lost).
#include "bkcheck/backup_index.h"
#include "bkcheck/discovery.h"
#include "bkcheck/doctor.h"
#include "bkcheck/export_backup.h"
#include "bkcheck/extract.h"
#include "bkcheck/prune.h"
#include "bkcheck/repair.h"
#include "bkcheck/verifier.h"

#include "make_backup/backup_writer.h"
#include "support/denying_file_system.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

using namespace bkcheck;

namespace {

using test::DenyingFileSystem;

testgen::BackupSpec small_spec(IndexFormat format)
{
    testgen::BackupSpec spec;
    spec.format = format;
    spec.file_count = 10;
    return spec;
}

// The first file record with content, and the path of its blob.
std::pair<FileRecord, fs::path> first_file(const Backup& backup, IndexFormat format)
{
    std::optional<FileRecord> target;
    FindingSink reading(100);
    RecordVisitor visitor;
    visitor.record = [&](FileRecord&& record) {
        if (!target && record.kind == FileKind::File && record.size > 0) target = std::move(record);
    };
    REQUIRE(for_each_backup_record(real_file_system(), backup, nullptr, reading, visitor));
    REQUIRE(target);
    fs::path blob = backup.path / blob_relative_path(format, target->file_id).value();
    return {std::move(*target), blob};
}

}  // namespace

TEST_CASE(
    "a blob this user may not read is not examined, never damage, and repair drops nothing for it",
    "[verdict][access]")
{
    for (IndexFormat format : {IndexFormat::ManifestDb, IndexFormat::ManifestMbdb}) {
        INFO((format == IndexFormat::ManifestDb ? "Manifest.db" : "Manifest.mbdb"));
        test::TempDir temp;
        auto dir = testgen::write_backup(small_spec(format), temp.path());
        REQUIRE(dir);
        auto backup = open_backup(real_file_system(), *dir);
        REQUIRE(backup);
        DenyingFileSystem file_system(first_file(*backup, format).second);

        FindingSink sink(1000);
        VerifyOptions options;
        options.read_data = true;
        auto result = verify_backup(file_system, *backup, options, sink);
        REQUIRE(result);
        CHECK(sink.count("access.denied") == 1);
        CHECK(sink.count(Severity::Error) == 0);
        CHECK(result->counts.levels.not_checked == 1);
        CHECK(result->counts.levels.damaged == 0);
        CHECK(result->verdict == Verdict::Unchecked);

        RepairOptions repair;
        repair.now = 2'000'000'000;
        auto assessment = plan_repair(file_system, *backup, repair);
        REQUIRE(assessment);
        CHECK(assessment->plan.empty());
        bool explained = false;
        for (const std::string& line : assessment->plan.left_alone) {
            explained = explained || line.find("access.denied: this user may not read them") !=
                                         std::string::npos;
        }
        CHECK(explained);
    }
}

TEST_CASE(
    "extract and export: a blob this user may not read is not written, said as access.denied, "
    "never damage",
    "[access][extract]")
{
    for (IndexFormat format : {IndexFormat::ManifestDb, IndexFormat::ManifestMbdb}) {
        INFO((format == IndexFormat::ManifestDb ? "Manifest.db" : "Manifest.mbdb"));
        test::TempDir temp;
        auto dir = testgen::write_backup(small_spec(format), temp.path() / "in");
        REQUIRE(dir);
        auto backup = open_backup(real_file_system(), *dir);
        REQUIRE(backup);
        auto [target, blob] = first_file(*backup, format);
        DenyingFileSystem file_system(blob);
        FindingSink index_findings(10);
        auto records = StreamedRecords::open(file_system, *backup, nullptr, index_findings);
        REQUIRE(records);

        ExtractOptions extract;
        extract.total_for_progress = false;
        FindingSink readable(100);
        auto all = extract_backup(real_file_system(), *backup, *records, temp.path() / "all",
                                  extract, readable);
        REQUIRE(all);
        FindingSink extracted(100);
        auto summary = extract_backup(file_system, *backup, *records, temp.path() / "extracted",
                                      extract, extracted);
        REQUIRE(summary);
        CHECK(summary->denied == 1);
        CHECK(summary->files + 1 == all->files);
        CHECK(summary->skipped == all->skipped);  // nothing more is called skipped (damaged)
        CHECK(extracted.count("access.denied") == 1);
        CHECK(extracted.count(Severity::Error) == readable.count(Severity::Error));
        for (const Finding& finding : extracted.kept()) {
            if (finding.code != "access.denied") continue;
            CHECK(finding.message.find(blob_relative_path(format, target.file_id).value()) !=
                  std::string::npos);
            CHECK(finding.path == target.relative_path);
        }
        CHECK(fs::exists(temp.path() / "all" / target.domain / target.relative_path));
        CHECK(!fs::exists(temp.path() / "extracted" / target.domain / target.relative_path));

        FindingSink exported(100);
        auto copy =
            export_backup(file_system, *backup, *records, temp.path() / "exported", {}, exported);
        REQUIRE(copy);
        CHECK(copy->denied == 1);
        CHECK(copy->skipped == 0);
        CHECK(copy->files + 1 == all->files);
        CHECK(exported.count("access.denied") == 1);
        CHECK(exported.count(Severity::Error) == 0);
        // The export lacks that record (the caller says so and exits 5), and holds every other one.
        auto exported_backup = open_backup(real_file_system(), copy->folder);
        REQUIRE(exported_backup);
        bool found = false;
        std::uint64_t count = 0;
        FindingSink reading(100);
        RecordVisitor visitor;
        // A named copy: clang before 16 cannot capture a structured binding in a lambda.
        const std::string target_id = target.file_id;
        visitor.record = [&](FileRecord&& record) {
            ++count;
            found = found || record.file_id == target_id;
        };
        REQUIRE(for_each_backup_record(real_file_system(), *exported_backup, nullptr, reading,
                                       visitor));
        CHECK(!found);
        CHECK(count == copy->records);
        CHECK(count + 1 == summary->selected);
    }
}

TEST_CASE(
    "discovery: a backup folder this user may not look into is found, never skipped as absent",
    "[access][discovery]")
{
    test::TempDir temp;
    testgen::BackupSpec spec = small_spec(IndexFormat::ManifestDb);
    spec.udid = "00008030-0011223344556677";
    auto readable = testgen::write_backup(spec, temp.path());
    REQUIRE(readable);
    spec.udid = "00008030-8899aabbccddeeff";
    auto denied = testgen::write_backup(spec, temp.path());
    REQUIRE(denied);
    fs::create_directory(temp.path() / ".hidden");
    DenyingFileSystem file_system(std::vector<fs::path>{*denied, temp.path() / ".hidden"});

    auto found = find_backups(file_system, temp.path());
    REQUIRE(found);
    CHECK(*found ==
          std::vector<fs::path>{*readable, *denied});  // the hidden folder is never a backup
    auto opened = open_backup(file_system, *denied);
    REQUIRE(!opened);
    CHECK(is_permission_error(opened.error()));
    CHECK(opened.error().path == denied->string());

    // doctor: access.denied for it (exit 5 in the CLI), not "no problem" about the one it could
    // read.
    DoctorOptions options;
    options.now = 2'000'000'000;
    options.headroom_bytes = 0;
    options.headroom_fraction = 0;
    auto report = diagnose(file_system, {temp.path()}, options);
    REQUIRE(report);
    CHECK(report->backups.size() == 2);
    CHECK(report->access_problem());
    CHECK(!report->damage());
    bool named = false;
    for (const Diagnosis& diagnosis : report->diagnoses) {
        named = named || (diagnosis.code == "access.denied" && diagnosis.subject == *denied);
    }
    CHECK(named);

    // A root this user may not list: the permission error, never an empty list.
    DenyingFileSystem denied_root(temp.path());
    auto unlisted = find_backups(denied_root, temp.path());
    REQUIRE(!unlisted);
    CHECK(is_permission_error(unlisted.error()));
}

TEST_CASE(
    "a plist this user may not read: access.denied in verify (unchecked), never rebuilt, never "
    "lost to prune",
    "[access][verdict]")
{
    for (const char* name : {"Info.plist", "Status.plist", "Manifest.plist"}) {
        INFO(name);
        test::TempDir temp;
        auto dir = testgen::write_backup(small_spec(IndexFormat::ManifestDb), temp.path());
        REQUIRE(dir);
        DenyingFileSystem file_system(*dir / name);
        auto backup = open_backup(file_system, *dir);
        REQUIRE(backup);
        CHECK(backup->denied_plists() == std::vector<std::string>{name});
        CHECK(backup->state() == BackupState::AccessDenied);

        FindingSink sink(100);
        auto result = verify_backup(file_system, *backup, {}, sink);
        REQUIRE(result);
        CHECK(sink.count("access.denied") == 1);
        CHECK(sink.count(Severity::Error) == 0);
        CHECK(result->verdict == Verdict::Unchecked);

        PruneOptions prune;
        prune.now = 2'000'000'000;
        prune.unrecoverable = true;
        auto plan = plan_prune(file_system, temp.path(), {*backup}, prune);
        REQUIRE(plan);
        for (const Action& action : plan->actions) CHECK(action.kind != "remove_backup");

        // export refuses before writing anything (before: after every blob, a partial export left).
        FindingSink exporting(100);
        FindingSink index_findings(10);
        auto records = StreamedRecords::open(file_system, *backup, nullptr, index_findings);
        REQUIRE(records);
        auto exported =
            export_backup(file_system, *backup, *records, temp.path() / "out", {}, exporting);
        REQUIRE(!exported);
        CHECK(is_permission_error(exported.error()));
        CHECK(exported.error().path == (*dir / name).string());
        CHECK(!fs::exists(temp.path() / "out"));

        // Before, repair rebuilt (overwrote) the plist it could not read.
        RepairOptions repair;
        repair.now = 2'000'000'000;
        auto assessment = plan_repair(file_system, *backup, repair);
        REQUIRE(assessment);
        CHECK(assessment->plan.empty());
    }
}

TEST_CASE(
    "a blob folder this user may not list: its files are not checked, never missing, and repair "
    "drops nothing",
    "[access][verdict]")
{
    test::TempDir temp;
    auto dir = testgen::write_backup(small_spec(IndexFormat::ManifestDb), temp.path());
    REQUIRE(dir);
    auto backup = open_backup(real_file_system(), *dir);
    REQUIRE(backup);
    fs::path folder = first_file(*backup, IndexFormat::ManifestDb).second.parent_path();
    std::uint64_t inside = 0;
    for (const auto& entry : fs::directory_iterator(folder))
        inside += entry.is_regular_file() ? 1 : 0;
    REQUIRE(inside > 0);
    DenyingFileSystem file_system(folder);

    FindingSink sink(1000);
    VerifyOptions options;
    options.read_data = true;
    auto result = verify_backup(file_system, *backup, options, sink);
    REQUIRE(result);
    CHECK(sink.count("access.denied") ==
          1);  // once, for the folder (before: blob.unreadable and blob.missing)
    CHECK(sink.count(Severity::Error) == 0);
    CHECK(result->counts.levels.not_checked == inside);
    CHECK(result->counts.levels.damaged == 0);
    CHECK(result->verdict == Verdict::Unchecked);

    RepairOptions repair;
    repair.now = 2'000'000'000;
    auto assessment = plan_repair(file_system, *backup, repair);
    REQUIRE(assessment);
    CHECK(assessment->plan.empty());
}

TEST_CASE(
    "a Manifest.db-wal this user may not read: the index was not read (access.denied), never "
    "manifest.unreadable",
    "[access][verdict]")
{
    test::TempDir temp;
    testgen::BackupSpec spec = small_spec(IndexFormat::ManifestDb);
    spec.damages = {testgen::Damage::WalCommittedRows};
    auto dir = testgen::write_backup(spec, temp.path());
    REQUIRE(dir);
    REQUIRE(fs::exists(*dir / "Manifest.db-wal"));
    auto backup = open_backup(real_file_system(), *dir);
    REQUIRE(backup);
    DenyingFileSystem file_system(*dir / "Manifest.db-wal");

    FindingSink sink(100);
    auto result = verify_backup(file_system, *backup, {}, sink);
    REQUIRE(result);
    CHECK(sink.count("access.denied") == 1);
    CHECK(sink.count(Severity::Error) == 0);
    CHECK(result->verdict == Verdict::Unchecked);
    FindingSink reading(100);
    auto records = for_each_backup_record(file_system, *backup, nullptr, reading, RecordVisitor{});
    REQUIRE(!records);
    CHECK(is_permission_error(records.error()));  // ls, usage, extract, export: exit 5, not 1
}

TEST_CASE(
    "an encrypted backup whose Manifest.plist this user may not read: its index is not damaged, "
    "only not read",
    "[access][verdict]")
{
    test::TempDir temp;
    testgen::BackupSpec spec = small_spec(IndexFormat::ManifestDb);
    spec.encrypted = true;
    auto dir = testgen::write_backup(spec, temp.path());
    REQUIRE(dir);
    DenyingFileSystem file_system(*dir / "Manifest.plist");
    auto backup = open_backup(file_system, *dir);
    REQUIRE(backup);
    FindingSink sink(100);
    auto result = verify_backup(file_system, *backup, {}, sink);
    REQUIRE(result);
    CHECK(sink.count("manifest.unreadable") == 0);  // before: damage, "bkcheck repair"
    CHECK(sink.count(Severity::Error) == 0);
    CHECK(sink.count("access.denied") ==
          2);  // Manifest.plist, and the index its key was needed for
    CHECK(result->verdict == Verdict::Unchecked);
}
