// Retention by health (issue 21, point 2): --keep-last counts only sound backups, never removes a
// device's newest sound backup, and doctor's advice follows the same rule.
#include "bkcheck/discovery.h"
#include "bkcheck/doctor.h"
#include "bkcheck/prune.h"
#include "retention.h"

#include "support/backup_changes.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

using namespace bkcheck;
using namespace bkcheck::test;
using testgen::Damage;

namespace {

constexpr const char* k_udid = "00008030-0000000000000021";
constexpr std::int64_t k_day = 86400;
constexpr std::int64_t k_june_2024 = 1717236900;

struct Made {
    std::string folder;
    std::int64_t date = k_june_2024;
    std::vector<Damage> damages = {};
    bool encrypted = false;
};

// Backups of one device in `root`, opened, in the order given.
std::vector<Backup> make_backups(const fs::path& root, const std::vector<Made>& made)
{
    std::vector<Backup> backups;
    std::uint32_t seed = 1;
    for (const Made& one : made) {
        testgen::BackupSpec spec;
        spec.file_count = 6;
        spec.seed = seed++;
        spec.udid = k_udid;
        spec.folder_name = one.folder;
        spec.backup_date = one.date;
        spec.damages = one.damages;
        spec.encrypted = one.encrypted;
        auto dir = testgen::write_backup(spec, root);
        REQUIRE(dir);
        auto backup = open_backup(real_file_system(), *dir);
        REQUIRE(backup);
        backups.push_back(std::move(*backup));
    }
    return backups;
}

Plan prune_plan(const fs::path& root, const std::vector<Backup>& backups, unsigned keep_last,
                std::function<Result<const ClassKeys*>(const Backup&)> unlock = {})
{
    PruneOptions options;
    options.now = later_now();
    options.keep_last = keep_last;
    options.threads = 1;
    options.unlock = std::move(unlock);
    auto plan = plan_prune(real_file_system(), root, backups, options);
    REQUIRE(plan);
    return *plan;
}

// Folder name -> reason of its remove_backup action.
std::map<std::string, std::string> removed(const Plan& plan)
{
    std::map<std::string, std::string> out;
    for (const Action& action : plan.actions) {
        if (action.kind == "remove_backup") out[action.subject] = action.reason;
    }
    return out;
}

// Folder name -> why the plan keeps it ("<folder>: <reason>", the reason saying "kept").
std::map<std::string, std::string> kept(const Plan& plan)
{
    std::map<std::string, std::string> out;
    for (const std::string& line : plan.left_alone) {
        auto at = line.find(": ");
        if (at == std::string::npos || line.find("kept") == std::string::npos) continue;
        out[line.substr(0, at)] = line.substr(at + 2);
    }
    return out;
}

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("retention: a damaged newest backup does not count, the sound one before it stays",
          "[retention]")
{
    // The case: the newest backup lost a blob, an archived older copy is sound.
    TempDir temp;
    auto backups = make_backups(temp.path(), {{"newest", k_june_2024, {Damage::BlobMissing}},
                                              {"archived", k_june_2024 - 30 * k_day}});
    Plan plan = prune_plan(temp.path(), backups, 1);
    CHECK(removed(plan).empty());
    auto reasons = kept(plan);
    REQUIRE(reasons.size() == 2);
    CHECK(reasons["newest"] == "damaged: kept, not counted toward --keep-last");
    CHECK(reasons["archived"] == "newest sound backup of \"Test iPhone 11\": kept");

    // Applying the plan leaves both in place.
    PruneOptions options;
    options.now = later_now();
    auto run =
        apply_plan(real_file_system(), real_writable_file_system(), plan, {options.now, "t"});
    REQUIRE(run);
    auto remaining = find_backups(real_file_system(), temp.path());
    REQUIRE(remaining);
    CHECK(remaining->size() == 2);
}

TEST_CASE("retention: three sound backups and a damaged newest one, keep-last 2", "[retention]")
{
    TempDir temp;
    auto backups = make_backups(temp.path(), {{"d1", k_june_2024 - 3 * k_day},
                                              {"d4-damaged", k_june_2024, {Damage::BlobMissing}},
                                              {"d2", k_june_2024 - 2 * k_day},
                                              {"d3", k_june_2024 - 1 * k_day}});
    Plan plan = prune_plan(temp.path(), backups, 2);
    auto gone = removed(plan);
    REQUIRE(gone.size() == 1);
    CHECK(gone.count("d1") == 1);
    CHECK(gone["d1"] ==
          "older than the 2 newest sound backups of \"Test iPhone 11\", which are kept: d3, d2");
    auto reasons = kept(plan);
    CHECK(reasons["d4-damaged"] == "damaged: kept, not counted toward --keep-last");
    CHECK(reasons["d3"] == "newest sound backup of \"Test iPhone 11\": kept");
    CHECK(reasons["d2"] == "2nd newest sound backup of \"Test iPhone 11\": kept (--keep-last 2)");

    SECTION("keep-last 1: the damaged newest and the newest sound one stay")
    {
        Plan one = prune_plan(temp.path(), backups, 1);
        auto gone_one = removed(one);
        CHECK(gone_one.size() == 2);
        CHECK(gone_one.count("d2") == 1);
        CHECK(gone_one.count("d1") == 1);
        CHECK(contains(gone_one["d2"], "which is kept: d3"));
    }
}

TEST_CASE("retention: a device with no sound backup loses none to --keep-last", "[retention]")
{
    TempDir temp;
    auto backups =
        make_backups(temp.path(), {{"newer", k_june_2024, {Damage::BlobMissing}},
                                   {"older", k_june_2024 - k_day, {Damage::StatusUnfinished}}});
    Plan plan = prune_plan(temp.path(), backups, 1);
    CHECK(removed(plan).empty());
    auto reasons = kept(plan);
    REQUIRE(reasons.size() == 2);
    CHECK(reasons["newer"] ==
          "damaged: kept: no backup of \"Test iPhone 11\" is known to be sound, so --keep-last "
          "removes none of them");
    CHECK(contains(reasons["older"], "incomplete"));
    CHECK(contains(reasons["older"], "is known to be sound"));
}

TEST_CASE("retention: equal dates are ordered by folder name, whatever the listing order",
          "[retention]")
{
    TempDir temp;
    auto backups =
        make_backups(temp.path(), {{"b"}, {"c", k_june_2024, {Damage::BlobMissing}}, {"a"}});
    std::map<std::string, std::string> first;
    // Every order the backups could be listed in gives the same plan.
    std::vector<std::size_t> order{0, 1, 2};
    do {
        std::vector<Backup> listed;
        for (std::size_t i : order) listed.push_back(backups[i]);
        Plan plan = prune_plan(temp.path(), listed, 1);
        auto gone = removed(plan);
        if (first.empty()) first = gone;
        CHECK(gone == first);
    } while (std::next_permutation(order.begin(), order.end()));
    // "a" is the newest of equals; "c" (damaged) is older than it, so it goes too.
    REQUIRE(first.size() == 2);
    CHECK(first.count("b") == 1);
    CHECK(first.count("c") == 1);
    CHECK(contains(first["c"], "damaged, and older than the newest sound backup"));
}

TEST_CASE("retention: a backup whose health is unknown counts as damaged", "[retention][encrypted]")
{
    TempDir temp;
    auto backups = make_backups(
        temp.path(), {{"encrypted", k_june_2024, {}, true}, {"plain", k_june_2024 - k_day}});
    // Without the password the encrypted backup's index cannot be read: not known to be sound.
    Plan without = prune_plan(temp.path(), backups, 1);
    CHECK(removed(without).empty());
    auto reasons = kept(without);
    CHECK(reasons["encrypted"] ==
          "health unknown (encrypted, and no password was given): kept, not counted toward "
          "--keep-last");
    CHECK(reasons["plain"] == "newest sound backup of \"Test iPhone 11\": kept");

    // With it, verify calls it sound, and it is the one kept.
    std::optional<Result<UnlockedKeys>> keys;
    Plan with =
        prune_plan(temp.path(), backups, 1, [&](const Backup& which) -> Result<const ClassKeys*> {
            keys.emplace(unlock_with_password(which, "bkcheck-demo"));
            if (!*keys) return keys->error();
            return (*keys)->class_keys.get();
        });
    auto gone = removed(with);
    REQUIRE(gone.size() == 1);
    CHECK(gone.count("plain") == 1);
    CHECK(contains(gone["plain"], "which is kept: encrypted"));
}

TEST_CASE("retention: --older-than never removes the newest sound backup", "[retention]")
{
    TempDir temp;
    auto backups = make_backups(temp.path(), {{"newest", k_june_2024, {Damage::BlobMissing}},
                                              {"sound", k_june_2024 - 10 * k_day},
                                              {"oldest", k_june_2024 - 20 * k_day}});
    PruneOptions options;
    options.now = later_now();
    options.older_than_days = 1;  // all three are older
    options.threads = 1;
    auto plan = plan_prune(real_file_system(), temp.path(), backups, options);
    REQUIRE(plan);
    auto gone = removed(*plan);
    REQUIRE(gone.size() == 1);
    CHECK(gone.count("oldest") == 1);
    CHECK(contains(gone["oldest"], "kept instead: newest, sound"));
    CHECK(kept(*plan)["sound"] == "newest sound backup of \"Test iPhone 11\": kept");
}

TEST_CASE("retention: doctor's advice when the newest backup is damaged", "[retention][doctor]")
{
    TempDir temp;
    auto backups = make_backups(temp.path(), {{"newest", k_june_2024, {Damage::BlobMissing}},
                                              {"sound", k_june_2024 - 10 * k_day},
                                              {"oldest", k_june_2024 - 20 * k_day}});
    DoctorOptions options;
    options.now = k_june_2024 + 30 * k_day;
    options.threads = 1;
    auto report = diagnose(real_file_system(), {temp.path()}, options);
    REQUIRE(report);
    std::map<std::string, const Diagnosis*> by_code_and_folder;
    for (const Diagnosis& diagnosis : report->diagnoses) {
        by_code_and_folder[diagnosis.code + " " + diagnosis.subject.filename().string()] =
            &diagnosis;
    }
    // The newest is damaged; the one before it is the newest sound backup: kept, not a candidate.
    CHECK(by_code_and_folder.count("backup.damaged newest") == 1);
    CHECK(by_code_and_folder.count("backup.duplicate sound") == 0);
    REQUIRE(by_code_and_folder.count("backup.newest_sound sound") == 1);
    const Diagnosis& keep = *by_code_and_folder["backup.newest_sound sound"];
    CHECK(contains(keep.cause, "is not known to be sound (damaged)"));
    CHECK(contains(keep.fix, "bkcheck repair " + shell_quote(temp.path() / "newest")));
    CHECK(contains(keep.fix,
                   "bkcheck prune --keep-last 1 " + shell_quote(temp.path()) + " keeps both"));
    // Only the oldest is a prune candidate, and the advice says what stays.
    REQUIRE(by_code_and_folder.count("backup.duplicate oldest") == 1);
    const Diagnosis& duplicate = *by_code_and_folder["backup.duplicate oldest"];
    CHECK(duplicate.fix == "bkcheck prune --keep-last 1 " + shell_quote(temp.path()));
    CHECK(contains(duplicate.evidence, "newest (damaged)"));
    CHECK(contains(duplicate.evidence, "sound (sound)"));

    // And prune does what the advice says.
    Plan plan = prune_plan(temp.path(), backups, 1);
    auto gone = removed(plan);
    CHECK(gone.size() == 1);
    CHECK(gone.count("oldest") == 1);

    SECTION("with --read-data, damage only a read finds: no prune advised, prune would not see it")
    {
        TempDir other;
        auto read_only =
            make_backups(other.path(), {{"newest", k_june_2024, {Damage::BlobDigestMismatch}},
                                        {"sound", k_june_2024 - 10 * k_day},
                                        {"oldest", k_june_2024 - 20 * k_day}});
        options.read_data = true;
        auto read = diagnose(real_file_system(), {other.path()}, options);
        REQUIRE(read);
        std::size_t advised = 0;
        for (const Diagnosis& diagnosis : read->diagnoses) {
            if (diagnosis.code == "backup.duplicate" || diagnosis.code == "backup.newest_sound") {
                INFO(diagnosis.subject.string() + ": " + diagnosis.fix);
                CHECK_FALSE(contains(diagnosis.fix, "bkcheck prune --keep-last"));
                advised +=
                    diagnosis.subject.filename() == "oldest" && contains(diagnosis.fix, "not yet");
            }
        }
        CHECK(advised == 1);
        // Without --read-data doctor sees what prune sees, and advises it.
        options.read_data = false;
        auto structural = diagnose(real_file_system(), {other.path()}, options);
        REQUIRE(structural);
        CHECK(std::count_if(structural->diagnoses.begin(), structural->diagnoses.end(),
                            [](const Diagnosis& d) {
                                return d.code == "backup.duplicate" &&
                                       d.fix.find("bkcheck prune --keep-last 1") == 0;
                            }) == 2);
    }
}

TEST_CASE("retention: a backup being written is no sound copy yet; the sound one before it stays",
          "[retention][in_use]")
{
    // The newest backup's index was written a moment ago (a -wal): a backup is running. Its files
    // verify today, but what it will hold is not known: the older copies must not go for it.
    TempDir temp;
    auto backups = make_backups(temp.path(), {{"running", k_june_2024, {Damage::WalCommittedRows}},
                                              {"archived", k_june_2024 - 30 * k_day},
                                              {"oldest", k_june_2024 - 60 * k_day}});
    PruneOptions options;
    options.now = static_cast<std::int64_t>(std::time(nullptr));  // the -wal is minutes old
    options.keep_last = 1;
    options.threads = 1;
    auto plan = plan_prune(real_file_system(), temp.path(), backups, options);
    REQUIRE(plan);
    auto reasons = kept(*plan);
    CHECK(reasons["running"].rfind("health unknown (being written right now: ", 0) == 0);
    CHECK(reasons["archived"] == "newest sound backup of \"Test iPhone 11\": kept");
    REQUIRE(removed(*plan).size() == 1);
    CHECK(removed(*plan).count("oldest") == 1);

    // doctor: the same rule, so it does not advise removing the archived copy either.
    DoctorOptions doctor;
    doctor.now = options.now;
    auto report = diagnose(real_file_system(), {temp.path()}, doctor);
    REQUIRE(report);
    for (const Diagnosis& diagnosis : report->diagnoses) {
        INFO(diagnosis.code << ": " << diagnosis.evidence << " / " << diagnosis.fix);
        if (diagnosis.code == "backup.duplicate" || diagnosis.code == "backup.old") {
            CHECK(diagnosis.subject.filename() == "oldest");
        }
    }
}
