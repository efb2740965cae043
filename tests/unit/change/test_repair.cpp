// repair on generated backups of both eras, encrypted and not, with every damage kind: the plan
// changes nothing, apply leaves no error (or only those documented as having no safe repair), and
// undo gives back a byte-identical tree.
#include "bkcheck/repair.h"
#include "manifest_db.h"

#include "support/backup_changes.h"
#include "support/temp_dir.h"

using namespace bkcheck;
using namespace bkcheck::test;
using testgen::Damage;

namespace {

// Damage the repair leaves alone by design (README: "Repairs"), with the error that remains.
const char* remaining_error(Damage damage, IndexFormat format)
{
    switch (damage) {
        case Damage::ManifestPlistMissing:
            return "manifest_plist.missing";
        case Damage::ManifestPlistUnreadable:
            return "manifest_plist.unreadable";
        case Damage::ManifestMissing:
            return "manifest.missing";
        case Damage::IdentityMismatch:
            return "identity.mismatch";
        case Damage::ManifestUnreadable:
            return format == IndexFormat::ManifestMbdb ? "manifest.unreadable" : nullptr;
        case Damage::ManifestSchemaLost:  // nothing left to salvage: a new backup is the remedy
            return "manifest.unreadable";
        default:
            return nullptr;
    }
}

struct Variant {
    const char* name;
    IndexFormat format;
    bool encrypted;
};

constexpr Variant k_variants[] = {
    {"Manifest.db", IndexFormat::ManifestDb, false},
    {"encrypted Manifest.db", IndexFormat::ManifestDb, true},
    {"Manifest.mbdb", IndexFormat::ManifestMbdb, false},
    {"encrypted Manifest.mbdb", IndexFormat::ManifestMbdb, true},
};

}  // namespace

TEST_CASE("repair: plan, apply, verify, undo for every damage kind", "[repair]")
{
    for (const Variant& variant : k_variants) {
        for (Damage damage : testgen::all_damages()) {
            if (!testgen::damage_applies(damage, variant.format, variant.encrypted)) continue;
            DYNAMIC_SECTION(variant.name << ": " << testgen::damage_name(damage))
            {
                TempDir temp;
                testgen::BackupSpec spec;
                spec.format = variant.format;
                spec.encrypted = variant.encrypted;
                spec.file_count = 12;
                spec.damages = {damage};
                auto dir = testgen::write_backup(spec, temp.path());
                REQUIRE(dir);
                TreeSnapshot original = snapshot_tree(temp.path());

                auto backup = open_backup(real_file_system(), *dir);
                REQUIRE(backup);
                Unlocked unlocked = unlock_generated(*backup, spec);
                RepairOptions options;
                options.now = later_now();
                options.keys = unlocked.class_keys();
                auto assessment = plan_repair(real_file_system(), *backup, options);
                REQUIRE(assessment);
                CHECK(snapshot_tree(temp.path()) == original);  // planning is read-only

                const char* remains = remaining_error(damage, variant.format);
                if (assessment->plan.empty()) {
                    // Nothing to change: either no error at all, or one with no safe repair
                    // (explained).
                    std::set<std::string> errors = error_codes(*dir, unlocked.class_keys());
                    if (remains) {
                        CHECK(errors.count(remains) == 1);
                        CHECK_FALSE(assessment->plan.left_alone.empty());
                    } else {
                        CHECK(errors.empty());
                    }
                    continue;
                }
                auto run = apply_plan(real_file_system(), real_writable_file_system(),
                                      assessment->plan, {options.now, "t"});
                REQUIRE(run);
                CHECK(run->state == RunState::Applied);
                std::set<std::string> errors = error_codes(*dir, unlocked.class_keys());
                if (remains) {
                    CHECK(errors == std::set<std::string>{remains});
                } else {
                    CHECK(errors.empty());
                }
                // The check after the changes reads only what they could have changed, and finds
                // what a full verify finds.
                auto repaired = open_backup(real_file_system(), *dir);
                REQUIRE(repaired);
                auto rechecked =
                    recheck_repair(real_file_system(), *repaired, *assessment, options);
                REQUIRE(rechecked);
                std::set<std::string> rechecked_errors;
                for (const Finding& finding : rechecked->findings) {
                    if (finding.severity == Severity::Error) rechecked_errors.insert(finding.code);
                }
                CHECK(rechecked_errors == errors);
                auto full = plan_repair(real_file_system(), *repaired, options);
                REQUIRE(full);
                CHECK(rechecked->before.verdict == full->before.verdict);
                CHECK(rechecked->before.counts.blobs_read <= assessment->findings.size() + 1);
                if (full->before.counts.blobs_read > 2)
                    CHECK(rechecked->before.counts.blobs_read < full->before.counts.blobs_read);
                auto undone =
                    undo_run(real_file_system(), real_writable_file_system(), temp.path(), run->id);
                REQUIRE(undone);
                CHECK(snapshot_outside_quarantine(temp.path()) == original);
            }
        }
    }
}

TEST_CASE("repair --force-full moves the index aside, undoably", "[repair]")
{
    TempDir temp;
    testgen::BackupSpec spec;
    spec.format = IndexFormat::ManifestMbdb;
    spec.file_count = 5;
    spec.damages = {Damage::ManifestUnreadable};
    auto dir = testgen::write_backup(spec, temp.path());
    REQUIRE(dir);
    TreeSnapshot original = snapshot_tree(temp.path());
    auto backup = open_backup(real_file_system(), *dir);
    REQUIRE(backup);
    RepairOptions options;
    options.now = later_now();
    options.force_full = true;
    auto assessment = plan_repair(real_file_system(), *backup, options);
    REQUIRE(assessment);
    REQUIRE(assessment->plan.actions.size() == 1);
    CHECK(assessment->plan.actions[0].kind == "force_full_backup");
    auto run = apply_plan(real_file_system(), real_writable_file_system(), assessment->plan,
                          {options.now, "t"});
    REQUIRE(run);
    for (const char* name : {"Manifest.mbdb", "Manifest.plist", "Status.plist"})
        CHECK_FALSE(fs::exists(*dir / name));
    CHECK(fs::exists(*dir / "Info.plist"));  // the host rewrites it anyway at the next backup
    require_undo(temp.path(), run->id);
    CHECK(snapshot_outside_quarantine(temp.path()) == original);
}

TEST_CASE("repair of an encrypted Manifest.db writes no plaintext: the new index is ciphertext",
          "[repair][encrypted]")
{
    TempDir temp;
    testgen::BackupSpec spec;
    spec.encrypted = true;
    spec.file_count = 8;
    spec.damages = {Damage::BlobMissing};
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
    REQUIRE(apply_plan(real_file_system(), real_writable_file_system(), assessment->plan,
                       {options.now, "t"}));
    CHECK_FALSE(starts_with_sqlite_magic(real_file_system(), *dir / "Manifest.db"));
    // Nothing under the root, quarantine included, is a plaintext SQLite file.
    for (const auto& entry : fs::recursive_directory_iterator(temp.path())) {
        if (entry.is_regular_file())
            CHECK_FALSE(starts_with_sqlite_magic(real_file_system(), entry.path()));
    }
    CHECK(error_codes(*dir, unlocked.class_keys()).empty());
}
