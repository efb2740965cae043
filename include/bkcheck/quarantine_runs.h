// The quarantine's records, read side: the journal of each run in `<root>/.bkcheck-quarantine/`
// (quarantine.h describes the quarantine), listing the runs, and the runs stopped midway. Below
// verify (in the backup layer) because verify and doctor report a backup that a stopped run left
// half-changed; making and undoing runs (quarantine.h) is the change layer's.
#pragma once

#include "bkcheck/file_system.h"
#include "bkcheck/status.h"

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
// first rename): whichever path holds that entry tells whether the step happened, even when a path
// is used twice (Manifest.db moved out, then the new one moved in).
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
    std::uint64_t bytes = 0;           // bytes removed into quarantine
    std::vector<std::string> summary;  // one line per action
    std::vector<RunStep> steps;
};

fs::path quarantine_dir(const fs::path& root);
fs::path run_dir(const fs::path& root, const std::string& run_id);

inline constexpr const char* k_journal_file = "journal.plist";

// The journal of run `run_id` in `root`'s quarantine.
Result<RunJournal> read_journal(const FileSystem& file_system, const fs::path& root,
                                const std::string& run_id);

struct RunInfo {
    RunJournal journal;
    std::uint64_t quarantined_bytes = 0;  // on disk in the run folder now
};

// The runs in `root`'s quarantine, oldest first. A folder without a readable journal is skipped;
// one whose journal this user may not read is that permission error (it may be a run).
Result<std::vector<RunInfo>> list_runs(const FileSystem& file_system, const fs::path& root);

// The runs that changed the backup in the folder `backup_folder` of their root (a step moved
// something out of it or into it), so that undo and purge given one backup act on its runs only,
// never on those of the other backups beside it that share the quarantine.
std::vector<RunInfo> runs_of_backup(const std::vector<RunInfo>& runs,
                                    const std::string& backup_folder);

// Which runs `purge` deletes: those named (every run when none is), less those created at or after
// `created_before` when given (--older-than). A run stopped midway is never chosen (undo it first):
// it is listed in `stopped`. `unknown` holds the names that match no run (mistyped).
struct PurgeSelection {
    std::vector<RunInfo> chosen;
    std::vector<std::string> stopped;
    std::vector<std::string> unknown;
    std::uint64_t bytes = 0;  // what deleting the chosen runs frees
};
PurgeSelection select_runs_to_purge(const std::vector<RunInfo>& runs,
                                    const std::vector<std::string>& named,
                                    std::optional<std::int64_t> created_before);

// A prune or repair run that was stopped midway (its journal still says Applying) and that changed,
// or was changing, the backup in `backup_dir`: that backup is half-changed until the run is undone.
struct UnfinishedRun {
    fs::path root;  // the folder of backups holding the quarantine, as a real absolute path
    std::string run_id;
    std::string verb;  // "repair", "prune"
    std::string undo_command()
        const;  // "bkcheck undo <root> <run id>", the root shell-quoted when needed
};

// The unfinished runs in the quarantine beside `backup_dir` (its parent folder) that name it in a
// step. Reads only; a quarantine that cannot be listed gives none.
std::vector<UnfinishedRun> unfinished_runs(const FileSystem& file_system,
                                           const fs::path& backup_dir);

}  // namespace bkcheck
