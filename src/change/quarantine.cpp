#include "bkcheck/quarantine.h"
#include "bytes.h"
#include "quarantine_journal.h"
#include "text.h"

#include "bkcheck/findings.h"
#include "bkcheck/path_text.h"

#include <algorithm>
#include <ctime>
#include <iterator>
#include <random>
#include <set>

namespace bkcheck {
namespace {

constexpr const char* k_lock_file = "lock";

std::string run_id_for(std::int64_t now, const std::string& verb, std::string suffix)
{
    std::time_t seconds = static_cast<std::time_t>(now);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &utc);
    if (suffix.empty()) {
        std::random_device random;
        suffix =
            to_hex(Bytes{static_cast<std::uint8_t>(random()), static_cast<std::uint8_t>(random())});
    }
    return std::string(stamp) + "-" + verb + "-" + suffix;
}

// Paths relative to the root, as every WritableTree operation takes them.
fs::path quarantine_relative()
{
    return k_quarantine_folder;
}

fs::path run_relative(const std::string& run_id)
{
    return quarantine_relative() / run_id;
}

Status write_journal(WritableTree& tree, const RunJournal& journal)
{
    return tree.write_file_atomic(run_relative(journal.id) / k_journal_file,
                                  serialize_journal(journal), FileAccess::Everyone);
}

// The renames that carry out `plan`, staging new files on the way; paths relative to the root.
Result<std::vector<RunStep>> stage_steps(WritableTree& tree, const Plan& plan,
                                         const fs::path& run_folder)
{
    std::vector<RunStep> steps;
    std::set<fs::path> removed;
    auto remove = [&](const fs::path& path) {
        if (removed.insert(path).second) steps.push_back({path, run_folder / "removed" / path, {}});
    };
    for (const Action& action : plan.actions) {
        for (const Change& change : action.changes) {
            switch (change.kind) {
                case ChangeKind::Remove:
                    remove(change.path);
                    break;
                case ChangeKind::Move: {
                    // A missing destination folder is made in the run folder and moved in as a step
                    // of its own, so undo takes it away again and the tree is exactly as before.
                    fs::path folder = change.to.parent_path();
                    if (!tree.entry_exists(folder)) {
                        fs::path staged = run_folder / "staged" / folder;
                        BK_TRY(tree.make_directories(staged));
                        steps.push_back({staged, folder, {}});
                    }
                    steps.push_back({change.path, change.to, {}});
                    break;
                }
                case ChangeKind::Write: {
                    fs::path staged = run_folder / "staged" / change.path;
                    BK_TRY(tree.make_directories(staged.parent_path()));
                    BK_TRY(tree.write_file_atomic(staged, change.content, FileAccess::Everyone));
                    if (tree.entry_exists(change.path)) remove(change.path);
                    steps.push_back({staged, change.path, {}});
                    break;
                }
            }
        }
    }
    return steps;
}

// Reverses steps [0, done) newest first. A step is reversed only when the entry it moved is at its
// destination; when it is already at its origin (never moved, or already put back) it is skipped,
// so a stopped undo can simply be run again.
Status reverse_steps(WritableTree& tree, const std::vector<RunStep>& steps, std::size_t done)
{
    for (std::size_t i = done; i-- > 0;) {
        const fs::path& original = steps[i].from;
        const fs::path& moved = steps[i].to;
        auto at_origin = tree.identity_of(original);
        if (at_origin == steps[i].moved) continue;
        if (tree.identity_of(moved) != steps[i].moved) {
            if (!tree.entry_exists(moved))
                continue;  // never moved (the run stopped before this step)
            return make_error(ErrorCode::Io, path_text(tree.root() / moved),
                              "cannot put back: this is not what the run moved here");
        }
        if (at_origin) {
            return make_error(ErrorCode::Io, path_text(tree.root() / original),
                              "cannot put back: something new is there (a backup since?); move it "
                              "away and undo again");
        }
        if (original.has_parent_path()) BK_TRY(tree.make_directories(original.parent_path()));
        BK_TRY(tree.rename(moved, original));
    }
    return Ok{};
}

// Records what each step moves, before anything moves. Every origin exists now: no step's origin is
// another step's destination.
Status record_identities(const WritableTree& tree, std::vector<RunStep>& steps)
{
    for (RunStep& step : steps) {
        auto identity = tree.identity_of(step.from);
        if (!identity)
            return make_error(ErrorCode::NotFound, path_text(tree.root() / step.from),
                              "vanished while planning");
        step.moved = *identity;
    }
    return Ok{};
}

Status sync_step_folders(WritableTree& tree, const std::vector<RunStep>& steps)
{
    std::set<fs::path> folders;
    for (const RunStep& step : steps) {
        folders.insert(step.from.parent_path());
        folders.insert(step.to.parent_path());
    }
    for (const fs::path& folder : folders) {
        if (folder.empty() || tree.entry_exists(folder)) BK_TRY(tree.sync_directory(folder));
    }
    return Ok{};
}

// What a run wrote itself (a rebuilt Manifest.db or plist) is back in staged/ after an undo or a
// roll-back: bkcheck's own bytes, never the user's, so it goes at once instead of filling the disk
// until a purge (a rebuilt index can be hundreds of MB; the run keeps its journal). Only a regular
// file that is still the very one the run staged (the identity its journal recorded) is removed;
// the folders stay, empty.
void drop_staged_files(const FileSystem& file_system, WritableTree& tree, const RunJournal& journal)
{
    const fs::path staged = run_relative(journal.id) / "staged";
    for (const RunStep& step : journal.steps) {
        auto [end, unused] =
            std::mismatch(staged.begin(), staged.end(), step.from.begin(), step.from.end());
        (void)unused;
        if (end != staged.end()) continue;
        auto identity = tree.identity_of(step.from);
        if (!identity || !(*identity == step.moved)) continue;
        auto stat = file_system.stat(tree.root() / step.from);
        if (!stat || stat->type != EntryType::File) continue;
        (void)tree.remove_all(step.from);
    }
}

// Every change a plan asks for stays inside its root: checked before anything is staged, so a plan
// built from a hostile index is refused whole rather than half-applied.
Status check_contained(const Plan& plan)
{
    for (const Action& action : plan.actions) {
        for (const Change& change : action.changes) {
            for (const fs::path* path : {&change.path, &change.to}) {
                if (path == &change.to && change.kind != ChangeKind::Move) continue;
                if (!is_contained_path(*path) || *path->begin() == k_quarantine_folder) {
                    return make_error(ErrorCode::InvalidArgument, path_text(*path),
                                      "refused: " + action.kind +
                                          " would change something that is not a backup in " +
                                          path_text(plan.root));
                }
            }
        }
    }
    return Ok{};
}

// The backups (folders of the root) a run's steps changed.
std::set<fs::path> backups_changed(const RunJournal& journal)
{
    std::set<fs::path> folders;
    for (const RunStep& step : journal.steps) {
        for (const fs::path* path : {&step.from, &step.to}) {
            if (!path->empty() && *path->begin() != k_quarantine_folder)
                folders.insert(*path->begin());
        }
    }
    return folders;
}

// Runs are undone newest first where they meet: a run put back under a newer one that changed the
// same backup would leave that backup as neither run left it (repair's rebuilt index over the
// blobs a later prune moved; trial: allowed silently). The rule is per backup, not per file: a
// later run's plan was made from the backup as the earlier run left it, whichever files it names.
Status check_no_newer_run(const std::vector<RunInfo>& runs, const RunJournal& undoing,
                          const fs::path& root)
{
    std::set<fs::path> changed = backups_changed(undoing);
    auto self = std::find_if(runs.begin(), runs.end(),
                             [&](const RunInfo& run) { return run.journal.id == undoing.id; });
    if (self == runs.end()) return Ok{};
    for (auto later = runs.end(); later-- != std::next(self);) {
        const RunJournal& newer = later->journal;
        if (newer.state != RunState::Applied && newer.state != RunState::Applying) continue;
        for (const fs::path& folder : backups_changed(newer)) {
            if (changed.count(folder) == 0) continue;
            return make_error(ErrorCode::InUse, path_text(run_dir(root, undoing.id)),
                              "refused, nothing was changed: run " + newer.id + " (" + newer.verb +
                                  ", made after this one) changed the same backup, " +
                                  path_text(folder) +
                                  ", and is still applied; undo it first: bkcheck undo " +
                                  shell_quote(root) + " " + newer.id);
        }
    }
    return Ok{};
}

}  // namespace

Result<RunJournal> apply_plan(const FileSystem& file_system, WritableFileSystem& writer,
                              const Plan& plan, const ApplyOptions& options)
{
    BK_TRY(check_contained(plan));
    // Checked before anything is written: a user who may read a backup but not change it learns
    // that, and who can, instead of a bare "Permission denied" halfway.
    if (auto unwritable = unwritable_folders(file_system, plan); !unwritable.empty()) {
        return make_error(ErrorCode::Io, path_text(plan.root),
                          "refused, nothing was changed: this user may not change " +
                              describe_unwritable(unwritable));
    }
    auto opened = writer.open_tree(plan.root);
    if (!opened) return std::move(opened).error();
    WritableTree& tree = **opened;
    BK_TRY(tree.make_directories(quarantine_relative()));
    auto lock = tree.try_lock(quarantine_relative() / k_lock_file);
    if (!lock) return std::move(lock).error();
    auto runs = list_runs(file_system, plan.root);
    if (!runs) return std::move(runs).error();
    for (const RunInfo& run : *runs) {
        if (run.journal.state == RunState::Applying) {
            return make_error(
                ErrorCode::InUse, path_text(run_dir(plan.root, run.journal.id)),
                "an earlier run was stopped before it finished: put it back first with "
                "'bkcheck undo " +
                    path_text(plan.root) + " " + run.journal.id + "'");
        }
    }

    // Runs are ordered by their names, which start with the time: a run made in the same second as
    // an earlier one (repair then prune in a script) is stamped a second after it, so the newest
    // run is always the last, and undo without RUN puts back the latest first (trial: two runs of
    // one second were undone in the wrong order).
    std::int64_t stamp = options.now;
    for (const RunInfo& run : *runs) stamp = std::max(stamp, run.journal.created + 1);
    RunJournal journal;
    journal.id = run_id_for(stamp, plan.verb, options.run_id_suffix);
    // A run folder is never reused: two runs in the same second can draw the same random suffix,
    // and the second journal would overwrite the first, whose run could then no longer be undone.
    // Under the lock, nothing else creates run folders between this check and make_directories
    // below.
    for (int attempt = 0; tree.entry_exists(run_relative(journal.id)); ++attempt) {
        if (!options.run_id_suffix.empty() || attempt == 16) {
            return make_error(ErrorCode::InUse, path_text(run_dir(plan.root, journal.id)),
                              "a run by this name is already in the quarantine; try again");
        }
        journal.id = run_id_for(stamp, plan.verb, "");
    }
    journal.verb = plan.verb;
    journal.created = stamp;
    journal.bytes = plan.bytes();
    for (const Action& action : plan.actions)
        journal.summary.push_back(action.kind + " " + action.subject);
    fs::path run_folder = run_relative(journal.id);
    BK_TRY(tree.make_directories(run_folder));
    // Until the journal is durable nothing in the backups has changed: on failure, drop the
    // staging.
    auto prepared = [&]() -> Status {
        auto steps = stage_steps(tree, plan, run_folder);
        if (!steps) return std::move(steps).error();
        journal.steps = std::move(*steps);
        BK_TRY(record_identities(tree, journal.steps));
        // The journal is durable before the first rename, so a run stopped anywhere can be undone.
        BK_TRY(write_journal(tree, journal));
        return tree.sync_directory(quarantine_relative());
    }();
    if (!prepared) {
        (void)tree.remove_all(run_folder);
        return std::move(prepared).error();
    }

    // Renames, then the syncs that make them durable, then the journal saying so. Whatever fails,
    // the renames done so far are reversed: the backups are as before, or fully changed and
    // recorded.
    std::size_t done = 0;
    Status outcome = Ok{};
    for (; done < journal.steps.size() && outcome; ++done) {
        const RunStep& step = journal.steps[done];
        if (options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed)) {
            outcome =
                make_error(ErrorCode::Interrupted, path_text(plan.root / step.from), "interrupted");
            break;
        }
        if (step.to.has_parent_path()) outcome = tree.make_directories(step.to.parent_path());
        if (outcome) outcome = tree.rename(step.from, step.to);
        if (!outcome) break;
    }
    if (outcome) outcome = sync_step_folders(tree, journal.steps);
    if (outcome) {
        journal.state = RunState::Applied;
        outcome = write_journal(tree, journal);
        if (outcome) return journal;
        journal.state = RunState::Applying;
    }
    const Error& failure = outcome.error();
    Status reversed = reverse_steps(tree, journal.steps, done);
    if (!reversed) {
        return make_error(failure.code, failure.path,
                          failure.message + "; putting back the " + std::to_string(done) +
                              " changes already made also failed (" + reversed.error().describe() +
                              "): run 'bkcheck undo " + path_text(plan.root) + " " + journal.id +
                              "'");
    }
    journal.state = RunState::RolledBack;
    // If even this write fails the journal still says Applying, and undo finds nothing left to move
    // back.
    if (write_journal(tree, journal)) drop_staged_files(file_system, tree, journal);
    std::string put_back = done == 0
                               ? ""
                               : " (the " + count_of(done, "change", "changes") + " already made " +
                                     (done == 1 ? "was" : "were") + " put back)";
    // Ctrl-C is about the run, not the file it came before: name the folder of backups.
    std::string where =
        failure.code == ErrorCode::Interrupted ? path_text(plan.root) : failure.path;
    return make_error(failure.code, where, failure.message + "; nothing was changed" + put_back);
}

Result<RunJournal> undo_run(const FileSystem& file_system, WritableFileSystem& writer,
                            const fs::path& root, const std::string& run_id)
{
    if (!is_contained_path(run_id) || run_id.find('/') != std::string::npos) {
        return make_error(ErrorCode::InvalidArgument, run_id,
                          "not a run name ('bkcheck undo --list' shows them)");
    }
    auto opened = writer.open_tree(root);
    if (!opened) return std::move(opened).error();
    WritableTree& tree = **opened;
    auto lock = tree.try_lock(quarantine_relative() / k_lock_file);
    if (!lock) return std::move(lock).error();
    auto journal = read_journal(file_system, root, run_id);
    if (!journal) return std::move(journal).error();
    if (journal->state == RunState::Undone || journal->state == RunState::RolledBack) {
        return make_error(ErrorCode::InvalidArgument, path_text(run_dir(root, run_id)),
                          std::string("nothing to undo: this run is already ") +
                              (journal->state == RunState::Undone ? "undone" : "rolled back"));
    }
    auto runs = list_runs(file_system, root);
    if (!runs) return std::move(runs).error();
    BK_TRY(check_no_newer_run(*runs, *journal, root));
    BK_TRY(reverse_steps(tree, journal->steps, journal->steps.size()));
    BK_TRY(sync_step_folders(tree, journal->steps));
    journal->state = RunState::Undone;
    BK_TRY(write_journal(tree, *journal));
    drop_staged_files(file_system, tree, *journal);
    return std::move(*journal);
}

Result<std::uint64_t> purge_runs(WritableFileSystem& writer, const fs::path& root,
                                 const std::vector<RunInfo>& runs)
{
    auto opened = writer.open_tree(root);
    if (!opened) return std::move(opened).error();
    WritableTree& tree = **opened;
    BK_TRY(tree.make_directories(quarantine_relative()));
    auto lock = tree.try_lock(quarantine_relative() / k_lock_file);
    if (!lock) return std::move(lock).error();
    std::uint64_t freed = 0;
    for (const RunInfo& run : runs) {
        if (run.journal.state == RunState::Applying) {
            return make_error(ErrorCode::InUse, path_text(run_dir(root, run.journal.id)),
                              "this run was stopped before it finished; undo it before purging");
        }
        BK_TRY(tree.remove_all(run_relative(run.journal.id)));
        freed += run.quarantined_bytes;
    }
    BK_TRY(tree.sync_directory(quarantine_relative()));
    return freed;
}

}  // namespace bkcheck
