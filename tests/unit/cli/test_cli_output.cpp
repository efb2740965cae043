// The CLI's output switches, through cli::run as main() calls it: --quiet/-v anywhere on the line,
// colour only on a terminal without NO_COLOR.
#include "make_backup/backup_writer.h"
#include "support/run_cli.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

using namespace bkcheck;
using namespace bkcheck::test;

namespace {

using Run = CliRun;

// A folder with a damaged backup (a problem) and an archived older copy of it (a note).
struct Folder {
    TempDir temp;
    Folder()
    {
        testgen::BackupSpec spec;
        spec.file_count = 4;
        spec.damages = {testgen::Damage::BlobMissing};
        REQUIRE(testgen::write_backup(spec, temp.path()));
        testgen::BackupSpec copy;
        copy.file_count = 4;
        copy.folder_name = testgen::udid_for(copy) + "-20200101-000000";
        REQUIRE(testgen::write_backup(copy, temp.path()));
    }
};

}  // namespace

TEST_CASE("quiet: --quiet prints nothing but keeps the exit code; -v adds doctor's notes", "[cli]")
{
    Folder folder;
    std::string root = folder.temp.path().string();
    Run normal = run_cli({"doctor", root}, false, false);
    CHECK(normal.code == 1);
    CHECK(normal.out.find("[backup.damaged]") != std::string::npos);
    CHECK(normal.out.find("note [backup.") == std::string::npos);  // the copy is a duplicate or old
    CHECK(normal.out.find("bkcheck doctor -v shows them") != std::string::npos);

    Run quiet = run_cli({"doctor", root, "--quiet"}, false, false);
    CHECK(quiet.code == 1);
    CHECK(quiet.out.empty());
    Run missing = run_cli({"-q", "doctor", "/nonexistent-bkcheck"}, false, false);
    CHECK(missing.code == 5);
    CHECK(missing.err.find("nonexistent-bkcheck") !=
          std::string::npos);  // errors still reach stderr

    Run verbose = run_cli({"-v", "doctor", root}, false, false);
    CHECK(verbose.code == 1);
    CHECK(verbose.out.find("note [backup.") != std::string::npos);
}

TEST_CASE("colour only on a terminal and only without NO_COLOR", "[cli]")
{
    Folder folder;
    std::string root = folder.temp.path().string();
    const std::string red = "\033[31m";
    CHECK(run_cli({"doctor", root}, true, false).out.find(red + "problem") != std::string::npos);
    CHECK(run_cli({"doctor", root}, true, true).out.find('\033') == std::string::npos);
    CHECK(run_cli({"doctor", root}, false, false).out.find('\033') == std::string::npos);
}

TEST_CASE(
    "verify and extract paint severities like doctor: red errors, yellow warnings, only on a "
    "terminal",
    "[cli]")
{
    TempDir temp;
    testgen::BackupSpec spec;
    spec.file_count = 4;
    spec.damages = {testgen::Damage::BlobMissing, testgen::Damage::OrphanBlob};
    auto dir = testgen::write_backup(spec, temp.path() / "in");
    REQUIRE(dir);
    const std::string red = "\033[31m", yellow = "\033[33m";

    Run painted = run_cli({"verify", dir->string()}, true, false);
    CHECK(painted.code == 1);
    CHECK(painted.out.find(red + "error\033[0m blob.missing") != std::string::npos);
    CHECK(painted.out.find(yellow + "warning\033[0m orphan.blob") != std::string::npos);
    CHECK(run_cli({"verify", dir->string()}, true, true).out.find('\033') == std::string::npos);
    CHECK(run_cli({"verify", dir->string()}, false, false).out.find('\033') == std::string::npos);
    CHECK(run_cli({"verify", "--json", dir->string()}, true, false).out.find('\033') ==
          std::string::npos);

    // Generated backups have a symlink pointing outside OUT: a warning finding of extract.
    Run extracted =
        run_cli({"extract", dir->string(), (temp.path() / "out").string()}, true, false);
    CHECK(extracted.out.find(yellow + "extract.symlink_outside") != std::string::npos);
}
