// The quarantine: where prune and repair put what they remove, and the journal that lets undo put
// it back. It is a folder beside the backups, `<root>/.bkcheck-quarantine/`, so every removal is a
// rename on the same filesystem (no copy, nothing half-moved), with one folder per run:
//
//   <root>/.bkcheck-quarantine/<run id>/journal.plist   what the run did, step by step
//   <root>/.bkcheck-quarantine/<run id>/removed/...     what it removed, at its root-relative path
//   <root>/.bkcheck-quarantine/<run id>/staged/...      new files, written here first
//
// A run is a list of renames only. The journal is written (atomically, and synced) before the first
// one, so a run stopped anywhere — an error, a crash, a kill — can be rolled back by reversing the
// renames that happened, which is what undo does. Only purge deletes.
#pragma once

#include "bkcheck/backup.h"
#include "bkcheck/file_system.h"
#include "bkcheck/quarantine_runs.h"
#include "bkcheck/status.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

// A plan: what prune or repair would change, computed without touching the disk, printed for the
// user to read, and carried out only on --apply (apply.h). Every change is a removal into
// quarantine, a move inside a backup, or a new file whose predecessor (if any) goes to quarantine:
// nothing is deleted, so every change can be undone.
namespace bkcheck {

namespace fs = std::filesystem;

enum class ChangeKind {
    Remove,  // move `path` into quarantine
    Move,    // move `path` to `to` inside the backups root (a misplaced blob to its folder)
    Write,   // `path` gets `content`; what was there goes to quarantine first
};

// Paths are relative to the plan's root (the folder that holds the backups), never absolute, so a
// journal stays valid when the user moves the whole folder.
struct Change {
    ChangeKind kind = ChangeKind::Remove;
    fs::path path;
    fs::path to;    // Move only
    Bytes content;  // Write only: exactly the bytes to write (already encrypted for encrypted
                    // backups)
};

struct Action {
    std::string kind;         // stable name: "remove_orphan_blob", "rebuild_status_plist", ...
    std::string subject;      // what it is about, relative to the root ("<folder>/Snapshot")
    std::string reason;       // plain words: why
    std::uint64_t bytes = 0;  // bytes it moves to quarantine (what purge would free)
    std::vector<std::string> details;  // e.g. the index records a rewrite drops
    std::vector<Change> changes;
};

// A folder --apply would have to change that this user may not (FileSystem::folder_access).
struct UnwritableFolder {
    fs::path folder;  // absolute, as the plan's root is
    FolderAccess access;
};

struct Plan {
    fs::path root;     // the folder holding the backups (and the quarantine)
    std::string verb;  // "prune" or "repair"
    std::vector<Action> actions;
    std::vector<std::string> left_alone;  // problems seen but not changed, each with the reason
    bool access_denied = false;  // part of a backup this user may not read was left out (exit 5)
    // Folders this user may not change that --apply needs to (a backup folder, a blob folder, the
    // root or quarantine): this user cannot apply the plan, and the preview says so.
    std::vector<UnwritableFolder> unwritable;

    bool empty() const { return actions.empty(); }
    std::uint64_t bytes() const;
    // Whether a change would touch something inside the folder `name` of the root (a backup).
    bool changes_folder(const fs::path& name) const;
};

}  // namespace bkcheck

namespace bkcheck {

// `now` names the run and dates its journal; `cancel` (Ctrl-C) is checked before each rename, and a
// stop is handled as a failed step is (the renames done so far are put back; Interrupted).
struct ApplyOptions : OperationContext {
    ApplyOptions() = default;
    // A run made at `when` whose id ends in `suffix`, stopped by `stop`: what tests spell as
    // {now, "t"}.
    ApplyOptions(std::int64_t when, std::string suffix, const std::atomic<bool>* stop = nullptr)
        : run_id_suffix(std::move(suffix))
    {
        now = when;
        cancel = stop;
    }

    std::string run_id_suffix;  // random by default; tests fix it
};

// The folders carrying out `plan` changes (each moved entry's folder, a moved folder itself, the
// quarantine or, before it exists, the root) that this user may not change; empty when it may apply
// it. plan_prune and plan_repair fill Plan::unwritable with it.
std::vector<UnwritableFolder> unwritable_folders(const FileSystem& file_system, const Plan& plan);
// Which folder this user may not change and who can: "/b/r1 (and 1 more folder); its owner (alice)
// or an administrator can apply it", or "/b/r1: it is on a read-only volume"; the first of
// `unwritable`, with the count of the others.
std::string describe_unwritable(const std::vector<UnwritableFolder>& unwritable);

// Carries out `plan`: stages new files, writes the journal, renames step by step. When a step
// fails, the steps already done are reversed and the error returned (the backups are as before);
// the run is then RolledBack. Refuses (InUse) while another bkcheck holds the quarantine lock, and
// refuses while an earlier run is still Applying (it must be undone first), and refuses (Io, before
// anything is written) when this user may not change a folder the plan changes
// (unwritable_folders), naming the folder and who may apply it.
Result<RunJournal> apply_plan(const FileSystem& file_system, WritableFileSystem& writer,
                              const Plan& plan, const ApplyOptions& options);

// Puts back what run `run_id` changed, byte for byte, newest step first; a step whose destination
// is not there (never done) is skipped. Refuses to overwrite anything that appeared since (a new
// backup wrote the same path) and says which path. Refuses (InUse, nothing changed) while a newer
// run that changed one of the same backups is still applied: runs are undone newest first, so no
// run is put back under one that built on it. An Applied or Applying run becomes Undone.
Result<RunJournal> undo_run(const FileSystem& file_system, WritableFileSystem& writer,
                            const fs::path& root, const std::string& run_id);

// Deletes run folders for good (never an Applying one). Returns the bytes freed.
Result<std::uint64_t> purge_runs(WritableFileSystem& writer, const fs::path& root,
                                 const std::vector<RunInfo>& runs);

// How prune and repair treat a backup in use (backup.h): --apply refuses to change it unless
// `assume_finished` (--assume-finished) says it is finished, and never while a process holds its
// files open. apply_blockers gives those that stop --apply; in_use_refusal the InUse error it stops
// with (nothing is changed then).
std::vector<BackupInUse> apply_blockers(const std::vector<BackupInUse>& in_use,
                                        bool assume_finished);
Error in_use_refusal(const std::vector<BackupInUse>& in_use);

}  // namespace bkcheck
