// The quarantine: where prune and repair put what they remove, and the journal that lets undo put it
// back. It is a folder beside the backups, `<root>/.bkcheck-quarantine/`, so every removal is a
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

#include "bkcheck/error.h"
#include "bkcheck/file_system.h"
#include "bkcheck/plan.h"
#include "bkcheck/writable_file_system.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bkcheck {

inline constexpr const char* k_quarantine_folder = ".bkcheck-quarantine";

enum class RunState {
    Applying,    // started and not finished: stopped by a crash or kill; undo rolls it back
    Applied,     // every step done
    RolledBack,  // a step failed and everything done before it was put back
    Undone,      // undo put everything back
};

const char* run_state_name(RunState state);

// One rename, both paths relative to the root, and the identity of what it moves (taken before the
// first rename): whichever path holds that entry tells whether the step happened, even when a path is
// used twice (Manifest.db moved out, then the new one moved in).
struct RunStep {
    fs::path from;
    fs::path to;
    EntryIdentity moved;
};

struct RunJournal {
    std::string id;  // "20261123-101500-repair-3f2a": sorts by time
    std::string verb;
    std::int64_t created = 0;  // Unix seconds
    RunState state = RunState::Applying;
    std::uint64_t bytes = 0;              // bytes removed into quarantine
    std::vector<std::string> summary;     // one line per action
    std::vector<RunStep> steps;
};

Bytes serialize_journal(const RunJournal& journal);
// Corrupt, naming the problem, when the bytes are not a journal this version wrote.
Result<RunJournal> parse_journal(ByteView bytes, const std::string& path);

fs::path quarantine_dir(const fs::path& root);
fs::path run_dir(const fs::path& root, const std::string& run_id);

struct RunInfo {
    RunJournal journal;
    std::uint64_t quarantined_bytes = 0;  // on disk in the run folder now
};

// The runs in `root`'s quarantine, oldest first. A folder without a readable journal is skipped;
// one whose journal this user may not read is that permission error (it may be a run).
Result<std::vector<RunInfo>> list_runs(const FileSystem& file_system, const fs::path& root);

struct ApplyOptions {
    std::int64_t now = 0;       // Unix seconds, for the run id and journal
    std::string run_id_suffix;  // random by default; tests fix it
};

// Carries out `plan`: stages new files, writes the journal, renames step by step. When a step fails,
// the steps already done are reversed and the error returned (the backups are as before); the run is
// then RolledBack. Refuses (InUse) while another bkcheck holds the quarantine lock, and refuses while
// an earlier run is still Applying (it must be undone first).
Result<RunJournal> apply_plan(const FileSystem& file_system, WritableFileSystem& writer, const Plan& plan,
                              const ApplyOptions& options);

// Puts back what run `run_id` changed, byte for byte, newest step first; a step whose destination
// is not there (never done) is skipped. Refuses to overwrite anything that appeared since (a new
// backup wrote the same path) and says which path. An Applied or Applying run becomes Undone.
Result<RunJournal> undo_run(const FileSystem& file_system, WritableFileSystem& writer, const fs::path& root,
                            const std::string& run_id);

// A prune or repair run that was stopped midway (its journal still says Applying) and that changed,
// or was changing, the backup in `backup_dir`: that backup is half-changed until the run is undone.
struct UnfinishedRun {
    fs::path root;       // the folder of backups holding the quarantine, as a real absolute path
    std::string run_id;
    std::string verb;    // "repair", "prune"
    std::string undo_command() const;  // "bkcheck undo <root> <run id>", the root shell-quoted when needed
};

// The unfinished runs in the quarantine beside `backup_dir` (its parent folder) that name it in a
// step. Reads only; a quarantine that cannot be listed gives none.
std::vector<UnfinishedRun> unfinished_runs(const FileSystem& file_system, const fs::path& backup_dir);

// Deletes run folders for good (never an Applying one). Returns the bytes freed.
Result<std::uint64_t> purge_runs(WritableFileSystem& writer, const fs::path& root,
                                 const std::vector<RunInfo>& runs);

}  // namespace bkcheck
