// Issue 20, points 4-7 and 9: findings that say the right facts. Unsafe index paths are errors that
// repair drops; UDIDs compare without case; an unknown UDID or encryption is said to be unknown; an
// unfinished change is reported; a fault of this machine (TMPDIR) is not blamed on the backup.
#include "bkcheck/backup_index.h"
#include "bkcheck/doctor.h"
#include "bkcheck/repair.h"
#include "bkcheck/verifier.h"
#include "manifest_db_builder.h"
#include "mbdb.h"

#include "make_backup/backup_writer.h"
#include "support/backup_changes.h"
#include "support/environment.h"
#include "support/faulty_writer.h"
#include "support/run_cli.h"
#include "support/temp_dir.h"
#include "support/tree_snapshot.h"

#include <catch2/catch.hpp>

#ifndef _WIN32
#include <sys/wait.h>
#include <unistd.h>
#endif

#include <fstream>

using namespace bkcheck;
using namespace bkcheck::test;
namespace fs = std::filesystem;

namespace {

FileRecord unsafe_file(std::string domain, std::string path)
{
    FileRecord record;
    record.domain = std::move(domain);
    record.relative_path = std::move(path);
    record.file_id = file_id_for(record.domain, record.relative_path);
    record.kind = FileKind::File;
    record.flags = k_flags_file;
    record.mode = k_mode_file | 0644;
    record.modified = 1600000000;
    record.size = 6;
    return record;
}

// A generated backup whose index gains `extra` records, each with a 6-byte blob of the right
// length.
fs::path backup_with_records(const fs::path& parent, IndexFormat format,
                             const std::vector<FileRecord>& extra)
{
    testgen::BackupSpec spec;
    spec.format = format;
    spec.file_count = 10;
    auto dir = testgen::write_backup(spec, parent);
    REQUIRE(dir);
    auto backup = open_backup(real_file_system(), *dir);
    REQUIRE(backup);
    FindingSink sink;
    auto index = load_backup_index(real_file_system(), *backup, nullptr, sink);
    REQUIRE(index);
    std::vector<FileRecord> records = index->records;
    for (const FileRecord& record : extra) {
        records.push_back(record);
        fs::path blob = *dir / blob_relative_path(format, record.file_id).value();
        fs::create_directories(blob.parent_path());
        std::ofstream(blob, std::ios::binary) << "ESCAPE";
    }
    if (format == IndexFormat::ManifestDb) {
        fs::remove(*dir / "Manifest.db");
        fs::remove(*dir / "Manifest.db-wal");
        fs::remove(*dir / "Manifest.db-shm");
        REQUIRE(write_manifest_db(real_writable_file_system(), *dir / "Manifest.db", records));
    } else {
        Bytes bytes = serialize_mbdb(records);
        std::ofstream(*dir / "Manifest.mbdb", std::ios::binary | std::ios::trunc)
            .write(reinterpret_cast<const char*>(bytes.data()),
                   static_cast<std::streamsize>(bytes.size()));
    }
    auto reopened = open_backup(real_file_system(), *dir);
    REQUIRE(reopened);
    FindingSink check;
    auto reread = load_backup_index(real_file_system(), *reopened, nullptr, check);
    REQUIRE(reread);
    REQUIRE(reread->records.size() == records.size());
    return *dir;
}

std::vector<Finding> verify_findings(const fs::path& dir, bool read_data = false)
{
    auto backup = open_backup(real_file_system(), dir);
    REQUIRE(backup);
    FindingSink sink(std::numeric_limits<std::size_t>::max());
    VerifyOptions options;
    options.read_data = read_data;
    auto result = verify_backup(real_file_system(), *backup, options, sink);
    REQUIRE(result);
    return sink.kept();
}

std::size_t count_code(const std::vector<Finding>& findings, std::string_view code)
{
    return static_cast<std::size_t>(std::count_if(
        findings.begin(), findings.end(), [&](const Finding& f) { return f.code == code; }));
}

}  // namespace

TEST_CASE(
    "a '..', absolute or NUL path in the index is an error that says why, and repair drops it",
    "[issue20][unsafe_path]")
{
    const IndexFormat format = GENERATE(IndexFormat::ManifestDb, IndexFormat::ManifestMbdb);
    TempDir temp;
    std::vector<FileRecord> extra = {
        unsafe_file("AppDomain-com.example.evil", "../../../private/var/mobile/Library/evil.plist"),
        unsafe_file("AppDomain-com.example.evil", "/private/var/root/evil"),
        unsafe_file("AppDomain-com.example.evil", std::string("Documents/a\0b", 13)),
    };
    fs::path dir = backup_with_records(temp.path(), format, extra);
    auto findings = verify_findings(dir);
    std::string all;
    for (const Finding& finding : findings) all += finding.code + ": " + finding.message + "\n";
    INFO(all);
    REQUIRE(count_code(findings, "record.unsafe_path") == 3);
    for (const Finding& finding : findings) {
        if (finding.code != "record.unsafe_path") continue;
        CHECK(finding.severity == Severity::Error);
        CHECK(finding.message.find("outside the app's container") != std::string::npos);
    }
    CHECK(finding_kind("record.unsafe_path").severity == Severity::Error);

    auto backup = open_backup(real_file_system(), dir);
    REQUIRE(backup);
    RepairOptions options;
    options.now = later_now();
    auto assessment = plan_repair(real_file_system(), *backup, options);
    REQUIRE(assessment);
    auto run = apply_plan(real_file_system(), real_writable_file_system(), assessment->plan,
                          {options.now, "t"});
    REQUIRE(run);
    CHECK(error_codes(dir, nullptr).empty());
    CHECK(count_code(verify_findings(dir), "record.unsafe_path") == 0);
}

TEST_CASE("a modern UDID (uppercase hex) is not a renamed folder, in verify and info",
          "[issue20][facts]")
{
    const IndexFormat format = GENERATE(IndexFormat::ManifestDb, IndexFormat::ManifestMbdb);
    const bool encrypted = GENERATE(false, true);
    TempDir temp;
    testgen::BackupSpec spec;
    spec.format = format;
    spec.encrypted = encrypted;
    spec.file_count = 4;
    spec.udid = "00008030-001A35E11A88802E";
    auto dir = testgen::write_backup(spec, temp.path());
    REQUIRE(dir);
    CHECK(dir->filename() == "00008030-001A35E11A88802E");
    CHECK(count_code(verify_findings(*dir), "folder.name_mismatch") == 0);
    CliRun info = run_cli({"info", dir->string()});
    CHECK(info.out.find("renamed") == std::string::npos);
    CHECK(info.out.find("00008030-001a35e11a88802e") != std::string::npos);
}

TEST_CASE(
    "a UDID no plist names is unknown, never the folder name, and a renamed folder still says so",
    "[issue20][facts]")
{
    TempDir temp;
    testgen::BackupSpec spec;
    spec.file_count = 4;
    spec.folder_name = "my-phone-copy";
    spec.damages = {testgen::Damage::ManifestPlistUnreadable, testgen::Damage::InfoPlistMissing};
    auto dir = testgen::write_backup(spec, temp.path());
    REQUIRE(dir);
    auto backup = open_backup(real_file_system(), *dir);
    REQUIRE(backup);
    CHECK(backup->udid().empty());
    CHECK(count_code(verify_findings(*dir), "folder.name_mismatch") == 0);
    CliRun info = run_cli({"info", dir->string()});
    CHECK(info.out.find("UDID                    unknown") != std::string::npos);
    CliRun list = run_cli({"list", "--json", dir->string()});
    CHECK(list.out.find("\"udid\": null") != std::string::npos);

    TempDir renamed_temp;
    testgen::BackupSpec renamed = spec;
    renamed.damages = {};
    auto renamed_dir = testgen::write_backup(renamed, renamed_temp.path());
    REQUIRE(renamed_dir);
    CHECK(count_code(verify_findings(*renamed_dir), "folder.name_mismatch") == 1);
}

TEST_CASE("an unreadable Manifest.plist makes the encryption unknown, not 'not encrypted'",
          "[issue20][facts]")
{
    const IndexFormat format = GENERATE(IndexFormat::ManifestDb, IndexFormat::ManifestMbdb);
    const bool encrypted = GENERATE(false, true);
    TempDir temp;
    testgen::BackupSpec spec;
    spec.format = format;
    spec.encrypted = encrypted;
    spec.file_count = 4;
    spec.damages = {testgen::Damage::ManifestPlistUnreadable};
    auto dir = testgen::write_backup(spec, temp.path());
    REQUIRE(dir);
    CliRun list = run_cli({"list", dir->string()});
    CHECK(list.out.find("encryption unknown") != std::string::npos);
    CHECK(list.out.find("not encrypted") == std::string::npos);
    CliRun list_json = run_cli({"list", "--json", dir->string()});
    CHECK(list_json.out.find("\"encrypted\": null") != std::string::npos);
    CliRun verify = run_cli({"verify", "--no-password", dir->string()});
    CHECK(verify.out.find("encryption unknown") != std::string::npos);
    CHECK(verify.out.find("not encrypted") == std::string::npos);
    CliRun verify_json = run_cli({"verify", "--no-password", "--json", dir->string()});
    CHECK(verify_json.out.find("\"encrypted\": null") != std::string::npos);
}

TEST_CASE(
    "the size mismatch of an encrypted blob quotes the recorded size and the length it implies",
    "[issue20][facts]")
{
    const IndexFormat format = GENERATE(IndexFormat::ManifestDb, IndexFormat::ManifestMbdb);
    TempDir temp;
    testgen::BackupSpec spec;
    spec.format = format;
    spec.encrypted = true;
    spec.file_count = 8;
    auto dir = testgen::write_backup(spec, temp.path());
    REQUIRE(dir);
    // Cut 5 bytes off one blob: no longer whole blocks, so no password is needed to call it
    // damaged.
    bool cut = false;
    for (const auto& entry : fs::recursive_directory_iterator(*dir)) {
        if (cut || !entry.is_regular_file() || entry.path().filename().string().size() != 40)
            continue;
        if (entry.file_size() < 32) continue;
        fs::resize_file(entry.path(), entry.file_size() - 5);
        cut = true;
    }
    REQUIRE(cut);
    auto backup = open_backup(real_file_system(), *dir);
    REQUIRE(backup);
    Unlocked unlocked = unlock_generated(*backup, spec);
    FindingSink sink(std::numeric_limits<std::size_t>::max());
    VerifyOptions options;  // structure only: the length is checked without decrypting
    options.unlock = [&]() -> Result<const ClassKeys*> { return unlocked.class_keys(); };
    REQUIRE(verify_backup(real_file_system(), *backup, options, sink));
    std::size_t seen = 0;
    for (const Finding& finding : sink.kept()) {
        if (finding.code != "blob.size_mismatch") continue;
        ++seen;
        INFO(finding.message);
        CHECK(finding.message.find("the index records ") != std::string::npos);
        CHECK(finding.message.find("which encrypted take ") != std::string::npos);
        CHECK(finding.message.find("the index says") == std::string::npos);
    }
    CHECK(seen == 1);
}

#ifndef _WIN32  // fork() and waitpid(): the POSIX build runs this crash test
TEST_CASE("a repair killed midway is reported by verify and doctor, naming undo with the real root",
          "[issue20][unfinished]")
{
    const IndexFormat format = GENERATE(IndexFormat::ManifestDb, IndexFormat::ManifestMbdb);
    const bool encrypted = GENERATE(false, true);
    TempDir temp;
    testgen::BackupSpec spec;
    spec.format = format;
    spec.encrypted = encrypted;
    spec.file_count = 6;
    spec.damages = {testgen::Damage::BlobMissing};
    auto dir = testgen::write_backup(spec, temp.path());
    REQUIRE(dir);
    auto backup = open_backup(real_file_system(), *dir);
    REQUIRE(backup);
    Unlocked unlocked = unlock_generated(*backup, spec);
    RepairOptions options;
    options.now = later_now();
    options.keys = unlocked.class_keys();
    auto assessment = plan_repair(real_file_system(), *backup, options);
    REQUIRE(assessment);
    REQUIRE_FALSE(assessment->plan.actions.empty());
    std::optional<RunJournal> stopped;
    for (std::size_t n = 1; n < 100 && !stopped; ++n) {
        pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            FaultyWriter writer(n, FaultyWriter::Mode::Exit);
            auto run = apply_plan(real_file_system(), writer, assessment->plan, {options.now, "t"});
            ::_exit(run ? 0 : 1);
        }
        int status = 0;
        REQUIRE(::waitpid(child, &status, 0) == child);
        auto runs = list_runs(real_file_system(), temp.path());
        REQUIRE(runs);
        if (!runs->empty() && runs->back().journal.state == RunState::Applying &&
            runs->back().journal.steps.size() > 0) {
            stopped = runs->back().journal;
            break;
        }
        for (const RunInfo& run : *runs) {
            if (run.journal.state == RunState::Applied) require_undo(temp.path(), run.journal.id);
        }
        fs::remove_all(temp.path() / k_quarantine_folder);
    }
    REQUIRE(stopped);
    const std::string undo =
        "bkcheck undo " + fs::canonical(temp.path()).string() + " " + stopped->id;

    // verify through a relative path too: the command names the real root.
    fs::path relative = fs::relative(*dir, fs::current_path());
    for (const fs::path& path : {*dir, relative}) {
        auto findings = verify_findings(path);
        REQUIRE(count_code(findings, "change.unfinished") == 1);
        for (const Finding& finding : findings) {
            if (finding.code != "change.unfinished") continue;
            CHECK(finding.severity == Severity::Error);
            CHECK(finding.message.find(undo) != std::string::npos);
        }
    }
    CliRun verify = run_cli({"verify", "--no-password", dir->string()});
    CHECK(verify.code == 1);
    CHECK(verify.out.find(undo) != std::string::npos);

    DoctorOptions doctor;
    doctor.now = later_now();
    auto report = diagnose(real_file_system(), {temp.path()}, doctor);
    REQUIRE(report);
    bool named = false;
    for (const Diagnosis& diagnosis : report->diagnoses) {
        if (diagnosis.code == "change.unfinished") {
            named = true;
            CHECK(diagnosis.severity == Severity::Error);
            CHECK(diagnosis.fix.find(undo) != std::string::npos);
        }
    }
    CHECK(named);

    // Once undone, neither mentions it.
    require_undo(temp.path(), stopped->id);
    CHECK(count_code(verify_findings(*dir), "change.unfinished") == 0);
}
#endif

TEST_CASE(
    "no backup is never 'no problem': a missing ROOT is exit 5, a ROOT holding no backup exit 3",
    "[issue20][roots]")
{
    TempDir temp;
    const std::string empty = (temp.path() / "empty").string();
    fs::create_directories(empty);
    const std::string missing = (temp.path() / "no-such-folder").string();
    const std::string out = (temp.path() / "out").string();

    CliRun doctor = run_cli({"doctor", empty});
    CHECK(doctor.code == 3);
    CHECK(doctor.out.find("No problem") == std::string::npos);
    CHECK(doctor.err.find("holds no backup") != std::string::npos);
    CliRun prune = run_cli({"prune", empty});
    CHECK(prune.code == 3);
    CHECK(prune.err.find("holds no backup") != std::string::npos);
    CliRun list = run_cli({"list", empty});
    CHECK(list.code == 3);
    CHECK(list.err.find("holds no backup") != std::string::npos);
    CliRun home = run_cli({"list", "--platform", "macos", "--home", missing});
    CHECK(home.code == 5);
    CHECK(home.out.find("No backups found") == std::string::npos);
    CHECK(home.err.find("--home") != std::string::npos);

    const std::vector<std::vector<std::string>> verbs = {
        {"list", missing},        {"info", missing},   {"doctor", missing},
        {"verify", missing},      {"unlock", missing}, {"prune", missing},
        {"repair", missing},      {"undo", missing},   {"purge", missing},
        {"ls", missing},          {"usage", missing},  {"extract", missing, out},
        {"export", missing, out},
    };
    for (const auto& args : verbs) {
        CliRun run = run_cli(args);  // not a terminal: nothing prompts
        INFO(args[0] << ": " << run.err);
        CHECK(run.code == 5);
    }
    for (const std::string verb : {"verify", "info", "repair", "ls", "usage"}) {
        CliRun run = run_cli({verb, empty});
        INFO(verb << ": " << run.err);
        CHECK(run.code == 3);
    }
}

namespace {

// Sets TMPDIR for one scope and puts back what was there.
class TmpdirOverride {
public:
    explicit TmpdirOverride(const std::string& value)
    {
        if (const char* old = std::getenv("TMPDIR")) m_old = old;
        test::set_environment_variable("TMPDIR", value);
    }
    ~TmpdirOverride()
    {
        if (m_old)
            test::set_environment_variable("TMPDIR", *m_old);
        else
            test::unset_environment_variable("TMPDIR");
    }
    TmpdirOverride(const TmpdirOverride&) = delete;
    TmpdirOverride& operator=(const TmpdirOverride&) = delete;

private:
    std::optional<std::string> m_old;
};

}  // namespace

TEST_CASE(
    "a Manifest.db with a -wal is read in memory: a missing or unusable TMPDIR changes nothing",
    "[issue20][tmpdir]")
{
    TempDir temp;
    testgen::BackupSpec spec;
    spec.file_count = 8;
    spec.damages = {testgen::Damage::WalCommittedRows};
    auto dir = testgen::write_backup(spec, temp.path());
    REQUIRE(dir);
    REQUIRE(fs::file_size(*dir / "Manifest.db-wal") > 0);
    const TreeSnapshot original = snapshot_tree(temp.path());
    const fs::path not_a_folder = temp.path() / "tmpdir-is-a-file";
    std::ofstream(not_a_folder) << "x";
    for (const std::string& tmpdir :
         {(temp.path() / "no-such-tmp").string(), not_a_folder.string()}) {
        INFO("TMPDIR=" << tmpdir);
        TmpdirOverride override_tmpdir(tmpdir);
        auto backup = open_backup(real_file_system(), *dir);
        REQUIRE(backup);
        FindingSink sink;
        auto result = verify_backup(real_file_system(), *backup, VerifyOptions{}, sink);
        REQUIRE(result);
        CHECK(result->verdict == Verdict::Ok);
        CHECK(sink.count("manifest.unreadable") == 0);
        // The rows only the -wal holds were read: every record has its blob, none is an orphan.
        CHECK(sink.count("manifest.wal_present") == 1);
        CHECK(sink.count(Severity::Error) == 0);

        DoctorOptions doctor;
        doctor.now = later_now();
        CHECK(diagnose(real_file_system(), {temp.path()}, doctor));

        CliRun verify = run_cli({"verify", dir->string()});
        CHECK(verify.code == 0);
        CHECK(verify.err.find("TMPDIR") == std::string::npos);
    }
    std::error_code ignored;
    fs::remove(not_a_folder, ignored);
    CHECK(snapshot_tree(temp.path()) == original);  // nothing written beside the backup
}
