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

#include "bkcheck/error.h"
#include "bkcheck/file_system.h"
#include "bkcheck/plan.h"
#include "bkcheck/quarantine_runs.h"  // the journal, the runs, unfinished_runs
#include "bkcheck/writable_file_system.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bkcheck {

struct ApplyOptions {
    std::int64_t now = 0;       // Unix seconds, for the run id and journal
    std::string run_id_suffix;  // random by default; tests fix it
};

// Carries out `plan`: stages new files, writes the journal, renames step by step. When a step
// fails, the steps already done are reversed and the error returned (the backups are as before);
// the run is then RolledBack. Refuses (InUse) while another bkcheck holds the quarantine lock, and
// refuses while an earlier run is still Applying (it must be undone first).
Result<RunJournal> apply_plan(const FileSystem& file_system, WritableFileSystem& writer,
                              const Plan& plan, const ApplyOptions& options);

// Puts back what run `run_id` changed, byte for byte, newest step first; a step whose destination
// is not there (never done) is skipped. Refuses to overwrite anything that appeared since (a new
// backup wrote the same path) and says which path. An Applied or Applying run becomes Undone.
Result<RunJournal> undo_run(const FileSystem& file_system, WritableFileSystem& writer,
                            const fs::path& root, const std::string& run_id);

// Deletes run folders for good (never an Applying one). Returns the bytes freed.
Result<std::uint64_t> purge_runs(WritableFileSystem& writer, const fs::path& root,
                                 const std::vector<RunInfo>& runs);

}  // namespace bkcheck
