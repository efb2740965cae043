// What makes a folder a backup, and the rule that bkcheck writes nothing into one (format.md §1.2).
// Below discovery (which finds backups with it) because the POSIX writable file system refuses, for
// every file it creates, a path inside a backup folder.
#pragma once

#include "bkcheck/file_system.h"
#include "bkcheck/status.h"

#include <optional>

namespace bkcheck {

// True when `dir` holds a backup's top-level files (any of Manifest.plist, Manifest.db,
// Manifest.mbdb, Status.plist or Info.plist).
bool looks_like_backup(const FileSystem& file_system, const fs::path& dir);

// looks_like_backup, but a folder this user may not look into (mode 000: EACCES, EPERM) is that
// permission error, naming the folder, rather than "not a backup": it may well be one.
Result<bool> probe_backup_folder(const FileSystem& file_system, const fs::path& dir);

// The backup folder that is `folder` or holds it, asked of the disk for every folder up from it (on
// its lexically normalised absolute path, and on the real path of the part that exists); nullopt
// when there is none.
Result<std::optional<fs::path>> backup_holding(const FileSystem& file_system,
                                               const fs::path& folder);

// InvalidArgument when `file` would be inside a backup folder — any backup, not only one being
// read: a folder above it (on its lexically normalised absolute path, and on the real path of the
// part that exists) looks_like_backup. bkcheck writes nothing into a backup: Apple's software owns
// its contents, a seal there changes what it vouches for, a key there unlocks it for anyone who has
// the folder.
Status check_outside_backups(const FileSystem& file_system, const fs::path& file);

}  // namespace bkcheck
