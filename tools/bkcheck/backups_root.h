// The folder that holds backups (and their quarantine), from what the user typed: a backup folder
// (its parent), a folder of backups (itself), or a path with a trailing '/'.
#pragma once

#include "bkcheck/discovery.h"  // backups_in_named_root
#include "bkcheck/file_system.h"
#include "bkcheck/quarantine_runs.h"
#include "bkcheck/status.h"

#include <ctime>
#include <string>

namespace bkcheck::cli {

// Absolute, normalized, without a trailing '/'.
fs::path normalized_path(const std::string& typed);
fs::path backups_root(const FileSystem& file_system, const std::string& typed);

// The root of a quarantine the user named for undo and purge: NotFound (exit 5) when the path does
// not exist, NotABackup (exit 3) when it is a file, or a folder with neither a quarantine nor a
// backup in it (a mistyped path must not read as "nothing to undo").
Result<fs::path> quarantine_root(const FileSystem& file_system, const std::string& typed);

// The runs undo and purge act on: every run of `root`'s quarantine when the user named the folder
// of backups; only those that changed it when the user named one backup (the others beside it share
// the quarantine, and must not be undone or purged by a command about this one).
Result<std::vector<RunInfo>> runs_named(const FileSystem& file_system, const fs::path& root,
                                        const std::string& typed);

inline std::int64_t now_seconds()
{
    return static_cast<std::int64_t>(std::time(nullptr));
}

}  // namespace bkcheck::cli
