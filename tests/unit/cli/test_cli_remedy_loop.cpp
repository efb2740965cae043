// Advice closes the loop: for every damage the test-backup generator makes, in both index formats,
// encrypted and not, verify --read-data; run each finding's fix_argv through the CLI as a person
// would paste it (the password from BKCHECK_PASSWORD, never in the argument vector); verify again:
// that finding is gone, and nothing new appeared. A finding without a fix must say plainly that no
// bkcheck command fixes it (or that nothing needs doing).
#include "bkcheck/findings.h"
#include "bkcheck/report.h"
#include "bkcheck/unlock.h"
#include "bkcheck/verifier.h"

#include "make_backup/backup_writer.h"
#include "support/environment.h"
#include "support/file_time.h"
#include "support/run_cli.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>

using namespace bkcheck;
using bkcheck::test::TempDir;

namespace {

struct Verified {
    std::map<std::string, Finding> first_of_code;  // one finding per code, to take its fix from
};

// verify --read-data, unlocked with the generator's password when the backup is encrypted and
// `with_password`.
Verified verify(const fs::path& dir, const std::string& password, bool with_password)
{
    auto backup = open_backup(real_file_system(), dir);
    REQUIRE(backup);
    FindingSink sink(1);
    VerifyOptions options;
    options.read_data = true;
    std::optional<Result<UnlockedKeys>> unlocked;
    if (backup->encrypted && with_password) {
        options.unlock = [&]() -> Result<const ClassKeys*> {
            unlocked.emplace(unlock_with_password(*backup, password));
            if (!*unlocked) return unlocked->error();
            return (*unlocked)->class_keys.get();
        };
    }
    auto result = verify_backup(real_file_system(), *backup, options, sink);
    REQUIRE(result);
    Verified verified;
    for (const Finding& finding : sink.kept())
        verified.first_of_code.emplace(finding.code, finding);
    return verified;
}

// A fresh backup looks like one being written (bkcheck then refuses --apply): make it an hour old,
// as a backup someone repairs after it failed is.
void age(const fs::path& dir)
{
    auto hour_ago = fs::file_time_type::clock::now() - std::chrono::hours(1);
    test::set_modification_time(dir, hour_ago);
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (!entry.is_symlink()) test::set_modification_time(entry.path(), hour_ago);
    }
}

// BKCHECK_PASSWORD for the CLI runs of one scope.
class PasswordInEnvironment {
public:
    explicit PasswordInEnvironment(const std::string& password)
    {
        test::set_environment_variable("BKCHECK_PASSWORD", password);
    }
    ~PasswordInEnvironment() { test::unset_environment_variable("BKCHECK_PASSWORD"); }
    PasswordInEnvironment(const PasswordInEnvironment&) = delete;
    PasswordInEnvironment& operator=(const PasswordInEnvironment&) = delete;
};

bool says_no_command_fixes_it(const std::string& remedy)
{
    return remedy.rfind("nothing", 0) == 0 ||
           remedy.find("no bkcheck command") != std::string::npos ||
           remedy.rfind("see the message", 0) == 0 || remedy.rfind("add --overwrite", 0) == 0;
}

void check_every_fix_closes_its_finding(IndexFormat format, bool encrypted)
{
    for (testgen::Damage damage : testgen::all_damages()) {
        if (!testgen::damage_applies(damage, format, encrypted)) continue;
        DYNAMIC_SECTION(testgen::damage_name(damage))
        {
            TempDir temp;
            testgen::BackupSpec spec;
            spec.format = format;
            spec.encrypted = encrypted;
            spec.file_count = 12;
            spec.damages = {damage};
            auto dir = testgen::write_backup(spec, temp.path());
            REQUIRE(dir);
            age(*dir);
            PasswordInEnvironment password(spec.password);
            Verified before = verify(*dir, spec.password, true);
            REQUIRE(before.first_of_code.count(testgen::expected_finding(damage)) +
                        before.first_of_code.count("blob.padding_invalid") >
                    0);
            std::set<std::string> fixed;
            for (const auto& [code, finding] : before.first_of_code) {
                Remedy remedy = resolve_remedy(finding, *dir);
                INFO(code << ": " << remedy.text);
                CHECK(remedy.text.find('{') == std::string::npos);  // every placeholder filled in
                if (!remedy.fix_argv) {
                    CHECK(says_no_command_fixes_it(remedy.text));
                    continue;
                }
                const std::vector<std::string>& argv = *remedy.fix_argv;
                REQUIRE(argv.size() >= 2);
                CHECK(argv.front() == "bkcheck");
                CHECK(std::find(argv.begin(), argv.end(), spec.password) == argv.end());
                CHECK(std::find(argv.begin(), argv.end(), dir->string()) !=
                      argv.end());  // the real path
                test::CliRun run = test::run_cli({argv.begin() + 1, argv.end()});
                INFO(run.out << run.err);
                CHECK(run.code == 0);
                fixed.insert(code);
            }
            Verified after = verify(*dir, spec.password, true);
            for (const auto& [code, finding] : after.first_of_code) {
                INFO("after the fixes: " << code << ": " << finding.message);
                CHECK(fixed.count(code) == 0);                 // the fix closed it
                CHECK(before.first_of_code.count(code) == 1);  // and made nothing new
            }
        }
    }
}

}  // namespace

TEST_CASE("remedy loop: every fix_argv closes its finding, Manifest.db", "[remedy]")
{
    check_every_fix_closes_its_finding(IndexFormat::ManifestDb, false);
}

TEST_CASE("remedy loop: every fix_argv closes its finding, encrypted Manifest.db", "[remedy]")
{
    check_every_fix_closes_its_finding(IndexFormat::ManifestDb, true);
}

TEST_CASE("remedy loop: every fix_argv closes its finding, Manifest.mbdb", "[remedy]")
{
    check_every_fix_closes_its_finding(IndexFormat::ManifestMbdb, false);
}

TEST_CASE("remedy loop: every fix_argv closes its finding, encrypted Manifest.mbdb", "[remedy]")
{
    check_every_fix_closes_its_finding(IndexFormat::ManifestMbdb, true);
}

TEST_CASE(
    "remedy loop: an encrypted index not read without the password is read by the fix, given it",
    "[remedy]")
{
    TempDir temp;
    testgen::BackupSpec spec;
    spec.encrypted = true;
    spec.file_count = 6;
    auto dir = testgen::write_backup(spec, temp.path());
    REQUIRE(dir);
    Verified before = verify(*dir, spec.password, false);
    REQUIRE(before.first_of_code.count("manifest.encrypted") == 1);
    Remedy remedy = resolve_remedy(before.first_of_code.at("manifest.encrypted"), *dir);
    REQUIRE(remedy.fix_argv);
    CHECK(*remedy.fix_argv == std::vector<std::string>{"bkcheck", "verify", dir->string()});
    PasswordInEnvironment password(spec.password);
    test::CliRun run = test::run_cli({remedy.fix_argv->begin() + 1, remedy.fix_argv->end()});
    CHECK(run.code == 0);
    CHECK(run.out.find("manifest.encrypted") == std::string::npos);
    CHECK(verify(*dir, spec.password, true).first_of_code.empty());
}

TEST_CASE("verify --json gives each finding its fix_argv with the real path, or null",
          "[remedy][json]")
{
    TempDir temp;
    testgen::BackupSpec spec;
    spec.file_count = 6;
    spec.damages = {testgen::Damage::BlobMissing, testgen::Damage::IdentityMismatch};
    auto dir = testgen::write_backup(spec, temp.path());
    REQUIRE(dir);
    test::CliRun run = test::run_cli({"verify", "--json", dir->string()});
    CHECK(run.code == 1);
    std::string compact;  // the JSON without its indentation (the temporary path has no space)
    for (char c : run.out) {
        if (c != ' ' && c != '\n') compact += c;
    }
    auto in_json = [](const std::string& text) {  // as a JSON string holds it ('\\', '"' escaped)
        std::string escaped;
        for (char c : text) {
            if (c == '\\' || c == '"') escaped += '\\';
            escaped += c;
        }
        return escaped;
    };
    std::string json_path = in_json(dir->string());
    CHECK(compact.find(R"("fix_argv":["bkcheck","repair","--apply",")" + json_path + R"("])") !=
          std::string::npos);
    CHECK(compact.find(R"("fix_argv":null)") !=
          std::string::npos);  // identity.mismatch: no command can
    CHECK(run.out.find("<dir>") == std::string::npos);
    CHECK(run.out.find(R"("remedy": "bkcheck repair )" + in_json(shell_quote(*dir))) !=
          std::string::npos);
}

TEST_CASE("remedy loop: combined damages converge, following the fixes round after round",
          "[remedy]")
{
    // repair drops damaged records first and marks the backup finished on the next run; a fix that
    // cannot work beside another finding (Info.plist without Manifest.plist to rebuild it from) is
    // not offered. Each round runs every fix offered; within three rounds none is left.
    const std::vector<std::vector<testgen::Damage>> combinations = {
        {testgen::Damage::BlobMissing, testgen::Damage::StatusUnfinished},
        {testgen::Damage::InfoPlistMissing, testgen::Damage::ManifestPlistMissing},
        {testgen::Damage::SnapshotDirPresent, testgen::Damage::BlobDigestMismatch,
         testgen::Damage::OrphanBlob},
        {testgen::Damage::ManifestMissing, testgen::Damage::StatusPlistMissing},
    };
    for (const auto& damages : combinations) {
        DYNAMIC_SECTION(testgen::damage_name(damages.front())
                        << " + " << testgen::damage_name(damages.back()))
        {
            TempDir temp;
            testgen::BackupSpec spec;
            spec.file_count = 12;
            spec.damages = damages;
            auto dir = testgen::write_backup(spec, temp.path());
            REQUIRE(dir);
            age(*dir);
            int rounds = 0;
            for (;; ++rounds) {
                std::set<std::vector<std::string>> fixes;
                for (const auto& [code, finding] :
                     verify(*dir, spec.password, true).first_of_code) {
                    if (auto argv = resolve_remedy(finding, *dir).fix_argv) fixes.insert(*argv);
                }
                if (fixes.empty()) break;
                REQUIRE(rounds < 3);
                for (const auto& argv : fixes) {
                    test::CliRun run = test::run_cli({argv.begin() + 1, argv.end()});
                    INFO(run.out << run.err);
                    CHECK(run.code <= 1);  // 1: applied, and problems remain for the next round
                }
            }
        }
    }
}
