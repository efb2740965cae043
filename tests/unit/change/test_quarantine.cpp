// The quarantine engine under faults: a failure injected at every single change, and the process
// ended at every single change, leave the backups either as before or fully changed, and undo
// always gives back the original bytes.
#include "bkcheck/discovery.h"
#include "bkcheck/prune.h"
#include "bkcheck/repair.h"
#include "quarantine_journal.h"

#include "support/backup_changes.h"
#include "support/denying_file_system.h"
#include "support/faulty_writer.h"
#include "support/temp_dir.h"

#ifndef _WIN32
#include <sys/wait.h>
#include <unistd.h>
#endif

using namespace bkcheck;
using namespace bkcheck::test;
using testgen::Damage;

namespace {

// A backup whose repair has every kind of step: a new file (Info.plist), a replaced one
// (Manifest.db with a record dropped), removals (Snapshot/, a damaged blob) and a move.
struct Scenario {
    TempDir temp;
    fs::path dir;
    TreeSnapshot original;
    Plan plan;

    explicit Scenario(std::vector<Damage> damages = {Damage::InfoPlistMissing,
                                                     Damage::SnapshotDirPresent,
                                                     Damage::BlobDigestMismatch,
                                                     Damage::BlobMisplaced},
                      std::size_t min_actions = 4)
    {
        testgen::BackupSpec spec;
        spec.file_count = 10;
        spec.damages = std::move(damages);
        auto written = testgen::write_backup(spec, temp.path());
        REQUIRE(written);
        dir = *written;
        original = snapshot_tree(temp.path());
        auto backup = open_backup(real_file_system(), dir);
        REQUIRE(backup);
        RepairOptions options;
        options.now = later_now();
        auto assessment = plan_repair(real_file_system(), *backup, options);
        REQUIRE(assessment);
        plan = std::move(assessment->plan);
        REQUIRE(plan.actions.size() >= min_actions);
    }

    std::optional<RunJournal> only_run() const
    {
        auto runs = list_runs(real_file_system(), temp.path());
        REQUIRE(runs);
        REQUIRE(runs->size() <= 1);
        if (runs->empty()) return std::nullopt;
        return runs->front().journal;
    }
};

}  // namespace

TEST_CASE("apply with a failure injected at each change: as before, and nothing left to undo",
          "[quarantine][faults]")
{
    std::size_t total = 0;
    {
        Scenario counting;
        FaultyWriter writer;
        REQUIRE(apply_plan(real_file_system(), writer, counting.plan, {later_now(), "t"}));
        total = writer.changes();
    }
    REQUIRE(total > 10);
    for (std::size_t n = 1; n <= total; ++n) {
        DYNAMIC_SECTION("fault at change " << n << " of " << total)
        {
            Scenario scenario;
            FaultyWriter writer(n);
            auto run = apply_plan(real_file_system(), writer, scenario.plan, {later_now(), "t"});
            REQUIRE(writer.fired());
            if (run) {
                // Only the final syncs and journal write came after the last rename: the repair is
                // complete.
                CHECK(error_codes(scenario.dir, nullptr).empty());
                require_undo(scenario.temp.path(), run->id);
            } else {
                CHECK(snapshot_outside_quarantine(scenario.temp.path()) == scenario.original);
                auto journal = scenario.only_run();
                // A failure after the journal was written leaves an undoable (or rolled back)
                // record.
                if (journal && journal->state == RunState::Applying) {
                    require_undo(scenario.temp.path(), journal->id);
                }
            }
            CHECK(snapshot_outside_quarantine(scenario.temp.path()) == scenario.original);
        }
    }
}

TEST_CASE("Ctrl-C during apply, after each change in turn: put back, Interrupted, nothing to undo",
          "[quarantine][faults]")
{
    std::size_t total = 0;
    {
        Scenario counting;
        FaultyWriter writer;
        REQUIRE(apply_plan(real_file_system(), writer, counting.plan, {later_now(), "t"}));
        total = writer.changes();
    }
    REQUIRE(total > 10);
    for (std::size_t n = 1; n <= total; ++n) {
        DYNAMIC_SECTION("Ctrl-C after change " << n << " of " << total)
        {
            Scenario scenario;
            FaultyWriter writer(n, FaultyWriter::Mode::Interrupt);
            ApplyOptions options{later_now(), "t", &writer.interrupt_flag()};
            auto run = apply_plan(real_file_system(), writer, scenario.plan, options);
            REQUIRE(writer.fired());
            if (run) {
                // Ctrl-C came after the last rename (during the final syncs): the run is whole.
                CHECK(run->state == RunState::Applied);
                CHECK(error_codes(scenario.dir, nullptr).empty());
            } else {
                CHECK(run.error().code == ErrorCode::Interrupted);
                CHECK(snapshot_outside_quarantine(scenario.temp.path()) == scenario.original);
                auto journal = scenario.only_run();
                // Stopped before the journal existed (staging), or rolled back and recorded so.
                if (journal) CHECK(journal->state == RunState::RolledBack);
            }
        }
    }
}

TEST_CASE(
    "a salvaged index (damaged page, committed -wal) with a failure at each change: as before",
    "[quarantine][faults]")
{
    // The new Manifest.db is built from the rows read through the file-system VFS (the -wal folded
    // in memory) and staged through the WritableFileSystem like every other change.
    for (auto damage : {Damage::ManifestUnreadable, Damage::WalCommittedRows}) {
        const std::vector<Damage> damages = {damage, Damage::SnapshotDirPresent,
                                             Damage::BlobDigestMismatch};
        std::size_t total = 0;
        {
            Scenario counting(damages, 2);
            FaultyWriter writer;
            REQUIRE(apply_plan(real_file_system(), writer, counting.plan, {later_now(), "t"}));
            total = writer.changes();
            CHECK(error_codes(counting.dir, nullptr).empty());
        }
        for (std::size_t n = 1; n <= total; ++n) {
            INFO("damage " << static_cast<int>(damage) << ", fault at change " << n << " of "
                           << total);
            Scenario scenario(damages, 2);
            FaultyWriter writer(n);
            auto run = apply_plan(real_file_system(), writer, scenario.plan, {later_now(), "t"});
            REQUIRE(writer.fired());
            if (run) {
                CHECK(error_codes(scenario.dir, nullptr).empty());
                require_undo(scenario.temp.path(), run->id);
            } else if (auto journal = scenario.only_run();
                       journal && journal->state == RunState::Applying) {
                require_undo(scenario.temp.path(), journal->id);
            }
            CHECK(snapshot_outside_quarantine(scenario.temp.path()) == scenario.original);
        }
    }
}

TEST_CASE("Ctrl-C while repair or prune plan: Interrupted, and no plan",
          "[quarantine][repair][prune]")
{
    TempDir temp;
    testgen::BackupSpec spec;
    spec.file_count = 10;
    spec.damages = {Damage::SnapshotDirPresent, Damage::BlobDigestMismatch};
    auto written = testgen::write_backup(spec, temp.path());
    REQUIRE(written);
    auto backup = open_backup(real_file_system(), *written);
    REQUIRE(backup);
    std::atomic<bool> cancel{true};

    RepairOptions repair;
    repair.now = later_now();
    repair.cancel = &cancel;
    auto assessment = plan_repair(real_file_system(), *backup, repair);
    REQUIRE_FALSE(assessment);
    CHECK(assessment.error().code == ErrorCode::Interrupted);

    PruneOptions prune;
    prune.now = later_now();
    prune.cancel = &cancel;
    auto plan = plan_prune(real_file_system(), temp.path(), {*backup}, prune);
    REQUIRE_FALSE(plan);
    CHECK(plan.error().code == ErrorCode::Interrupted);

    cancel = false;  // the same calls without Ctrl-C do plan (the damage is there to act on)
    auto repaired = plan_repair(real_file_system(), *backup, repair);
    REQUIRE(repaired);
    CHECK_FALSE(repaired->plan.empty());
    auto pruned = plan_prune(real_file_system(), temp.path(), {*backup}, prune);
    REQUIRE(pruned);
    CHECK_FALSE(pruned->empty());
}

#ifndef _WIN32  // fork() and waitpid(): the POSIX build runs this crash test
TEST_CASE("apply ended (like kill -9) at each change: undo restores the original bytes",
          "[quarantine][faults]")
{
    for (std::size_t n = 1;; ++n) {
        Scenario scenario;
        pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            FaultyWriter writer(n, FaultyWriter::Mode::Exit);
            auto run = apply_plan(real_file_system(), writer, scenario.plan, {later_now(), "t"});
            ::_exit(run ? 0 : 1);
        }
        int status = 0;
        REQUIRE(::waitpid(child, &status, 0) == child);
        REQUIRE(WIFEXITED(status));
        bool completed = WEXITSTATUS(status) == 0;
        INFO("ended at change " << n);
        if (!completed) REQUIRE(WEXITSTATUS(status) == 86);
        auto journal = scenario.only_run();
        if (journal && journal->state != RunState::Undone &&
            journal->state != RunState::RolledBack) {
            // Applying (stopped midway) or Applied: undo puts everything back.
            require_undo(scenario.temp.path(), journal->id);
        }
        CHECK(snapshot_outside_quarantine(scenario.temp.path()) == scenario.original);
        if (completed) break;
        REQUIRE(n < 1000);
    }
}
#endif

TEST_CASE("undo with a failure injected at each change can be run again to finish",
          "[quarantine][faults]")
{
    for (std::size_t n = 1;; ++n) {
        Scenario scenario;
        auto run = apply_plan(real_file_system(), real_writable_file_system(), scenario.plan,
                              {later_now(), "t"});
        REQUIRE(run);
        FaultyWriter writer(n);
        auto first = undo_run(real_file_system(), writer, scenario.temp.path(), run->id);
        INFO("fault at change " << n);
        if (!writer.fired()) {
            REQUIRE(first);
            CHECK(snapshot_outside_quarantine(scenario.temp.path()) == scenario.original);
            break;
        }
        if (!first) require_undo(scenario.temp.path(), run->id);
        CHECK(snapshot_outside_quarantine(scenario.temp.path()) == scenario.original);
        REQUIRE(n < 1000);
    }
}

#ifndef _WIN32  // fork() and waitpid(): the POSIX build runs this crash test
TEST_CASE("an interrupted run blocks new runs until it is undone", "[quarantine]")
{
    Scenario scenario;
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        FaultyWriter writer(25, FaultyWriter::Mode::Exit);
        (void)apply_plan(real_file_system(), writer, scenario.plan, {later_now(), "t"});
        ::_exit(0);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    auto journal = scenario.only_run();
    REQUIRE(journal);
    REQUIRE(journal->state == RunState::Applying);
    auto again = apply_plan(real_file_system(), real_writable_file_system(), scenario.plan,
                            {later_now(), "u"});
    REQUIRE_FALSE(again);
    CHECK(again.error().code == ErrorCode::InUse);
    CHECK(again.error().message.find("bkcheck undo") != std::string::npos);
    require_undo(scenario.temp.path(), journal->id);
    CHECK(snapshot_outside_quarantine(scenario.temp.path()) == scenario.original);
}
#endif

TEST_CASE("a run never reuses the folder of an earlier run with the same name", "[quarantine]")
{
    // Two runs in the same second that draw the same random suffix (found by fuzz_changes): the
    // second journal used to overwrite the first, so undo could no longer put the first run's files
    // back. A run is now stamped a second after the newest one, so the names differ and sort in the
    // order the runs were made (trial: undo without RUN put back the older of two runs first).
    Scenario scenario;
    const std::int64_t now = later_now();  // one second for both runs
    auto first =
        apply_plan(real_file_system(), real_writable_file_system(), scenario.plan, {now, "t"});
    REQUIRE(first);
    Plan more;
    more.root = scenario.plan.root;
    more.verb = scenario.plan.verb;
    more.actions.push_back(
        {"rebuild_info_plist",
         "x",
         "test",
         0,
         {},
         {{ChangeKind::Write, scenario.dir.filename() / "extra.plist", {}, Bytes{'x'}}}});
    auto same_second =
        apply_plan(real_file_system(), real_writable_file_system(), more, {now, "t"});
    REQUIRE(same_second);
    CHECK(same_second->id != first->id);
    CHECK(same_second->created == first->created + 1);
    auto runs = list_runs(real_file_system(), scenario.temp.path());
    REQUIRE(runs);
    REQUIRE(runs->size() == 2);
    CHECK(runs->back().journal.id == same_second->id);
    require_undo(scenario.temp.path(), same_second->id);
    require_undo(scenario.temp.path(), first->id);
    CHECK(snapshot_outside_quarantine(scenario.temp.path()) == scenario.original);
}

TEST_CASE("a run this user may not read is that error, never \"no runs\" for undo --list and purge",
          "[quarantine][access]")
{
    Scenario scenario;
    auto run = apply_plan(real_file_system(), real_writable_file_system(), scenario.plan,
                          {later_now(), "t"});
    REQUIRE(run);
    REQUIRE(list_runs(real_file_system(), scenario.temp.path())->size() == 1);
    DenyingFileSystem file_system(run_dir(scenario.temp.path(), run->id));
    auto runs = list_runs(file_system, scenario.temp.path());
    REQUIRE_FALSE(runs);
    CHECK(is_permission_error(runs.error()));
    CHECK(runs.error().path.find(run->id) != std::string::npos);
    require_undo(scenario.temp.path(), run->id);
}

TEST_CASE("undo refuses to overwrite what a newer backup wrote", "[quarantine]")
{
    Scenario scenario;
    auto run = apply_plan(real_file_system(), real_writable_file_system(), scenario.plan,
                          {later_now(), "t"});
    REQUIRE(run);
    fs::create_directories(scenario.dir / "Snapshot");  // a new backup session started
    auto undone =
        undo_run(real_file_system(), real_writable_file_system(), scenario.temp.path(), run->id);
    REQUIRE_FALSE(undone);
    CHECK(undone.error().path == (scenario.dir / "Snapshot").string());
    fs::remove(scenario.dir / "Snapshot");
    require_undo(scenario.temp.path(), run->id);
    CHECK(snapshot_outside_quarantine(scenario.temp.path()) == scenario.original);
}

TEST_CASE("journal: round trip, and a tampered path is refused", "[quarantine]")
{
    RunJournal journal;
    journal.id = "20261123-101500-repair-ab12";
    journal.verb = "repair";
    journal.created = 1795000000;
    journal.state = RunState::Applied;
    journal.bytes = 4096;
    journal.summary = {"remove_snapshot_dir X/Snapshot"};
    journal.steps = {{"X/Snapshot", ".bkcheck-quarantine/r/removed/X/Snapshot", {64769, 1234567}}};
    auto parsed = parse_journal(serialize_journal(journal), "journal.plist");
    REQUIRE(parsed);
    CHECK(parsed->id == journal.id);
    CHECK(parsed->state == RunState::Applied);
    CHECK(parsed->created == journal.created);
    REQUIRE(parsed->steps.size() == 1);
    CHECK(parsed->steps[0].to == journal.steps[0].to);
    CHECK(parsed->steps[0].moved == journal.steps[0].moved);
    journal.steps[0].from = "../../etc/passwd";
    auto tampered = parse_journal(serialize_journal(journal), "journal.plist");
    REQUIRE_FALSE(tampered);
    CHECK(tampered.error().message.find("..") != std::string::npos);
}

TEST_CASE("prune: orphans, Snapshot/, stale -shm and retention, then undo", "[prune]")
{
    TempDir temp;
    std::vector<fs::path> dirs;
    for (std::uint32_t seed : {1u, 2u, 3u}) {
        testgen::BackupSpec spec;
        spec.file_count = 6;
        spec.seed = seed;
        spec.udid = "00008030-0000000000000001";  // one device, three backups
        spec.folder_name = "backup-" + std::to_string(seed);
        if (seed == 3) spec.damages = {Damage::OrphanBlob, Damage::SnapshotDirPresent};
        auto dir = testgen::write_backup(spec, temp.path());
        REQUIRE(dir);
        dirs.push_back(*dir);
    }
    std::ofstream(dirs[2] / "Manifest.db-shm") << "stale";
    TreeSnapshot original = snapshot_tree(temp.path());

    std::vector<Backup> backups;
    for (const fs::path& dir : dirs) {
        auto backup = open_backup(real_file_system(), dir);
        REQUIRE(backup);
        backups.push_back(std::move(*backup));
    }
    PruneOptions options;
    options.now = later_now();
    auto plan = plan_prune(real_file_system(), temp.path(), backups, options);
    REQUIRE(plan);
    std::set<std::string> kinds;
    for (const Action& action : plan->actions) kinds.insert(action.kind);
    CHECK(kinds ==
          std::set<std::string>{"remove_orphan_blobs", "remove_snapshot_dir", "remove_stale_shm"});
    CHECK(snapshot_tree(temp.path()) == original);

    options.keep_last = 1;
    auto retention = plan_prune(real_file_system(), temp.path(), backups, options);
    REQUIRE(retention);
    std::size_t removed_backups = 0;
    for (const Action& action : retention->actions)
        removed_backups += action.kind == "remove_backup";
    CHECK(removed_backups == 2);

    auto run =
        apply_plan(real_file_system(), real_writable_file_system(), *retention, {options.now, "t"});
    REQUIRE(run);
    auto remaining = find_backups(real_file_system(), temp.path());
    REQUIRE(remaining);
    CHECK(remaining->size() == 1);
    require_undo(temp.path(), run->id);
    CHECK(snapshot_outside_quarantine(temp.path()) == original);
}

TEST_CASE("prune: an encrypted backup's orphans are looked for only with its password",
          "[prune][encrypted]")
{
    TempDir temp;
    testgen::BackupSpec spec;
    spec.encrypted = true;
    spec.file_count = 6;
    spec.damages = {Damage::OrphanBlob};
    auto dir = testgen::write_backup(spec, temp.path());
    REQUIRE(dir);
    auto backup = open_backup(real_file_system(), *dir);
    REQUIRE(backup);
    std::vector<Backup> backups{*backup};
    PruneOptions options;
    options.now = later_now();
    auto has_orphan_action = [](const Plan& plan) {
        return std::any_of(plan.actions.begin(), plan.actions.end(), [](const Action& action) {
            return action.kind == "remove_orphan_blobs";
        });
    };
    auto left_alone_mentions = [](const Plan& plan, std::string_view words) {
        return std::any_of(
            plan.left_alone.begin(), plan.left_alone.end(),
            [&](const std::string& line) { return line.find(words) != std::string::npos; });
    };

    auto without = plan_prune(real_file_system(), temp.path(), backups, options);
    REQUIRE(without);
    CHECK_FALSE(has_orphan_action(*without));
    CHECK(left_alone_mentions(*without, "give the backup's password"));

    std::optional<Result<UnlockedKeys>> keys;
    auto unlock_with = [&](std::string password) {
        return [&, password](const Backup& which) -> Result<const ClassKeys*> {
            keys.emplace(unlock_with_password(which, password));
            if (!*keys) return keys->error();
            return (*keys)->class_keys.get();
        };
    };
    options.unlock = unlock_with("not the password");
    auto wrong = plan_prune(real_file_system(), temp.path(), backups, options);
    REQUIRE(wrong);
    CHECK_FALSE(has_orphan_action(*wrong));
    CHECK(left_alone_mentions(*wrong, "orphans not looked for"));

    options.unlock = unlock_with(spec.password);
    auto with = plan_prune(real_file_system(), temp.path(), backups, options);
    REQUIRE(with);
    REQUIRE(has_orphan_action(*with));
    for (const Action& action : with->actions) {
        if (action.kind == "remove_orphan_blobs") CHECK(action.changes.size() == 1);
    }
}
