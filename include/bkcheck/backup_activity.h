// Whether a backup is being written right now ("in use"). A state, not damage: it never changes a
// verdict or an exit status of verify, info, list or doctor. Prune and repair refuse to --apply to
// a backup in use (moving files under a running Finder/iTunes/idevicebackup2 session would break
// that backup) unless told it is finished (--assume-finished).
#pragma once

#include "bkcheck/backup.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bkcheck {

// Recent = modified within this many seconds before `now`.
inline constexpr std::int64_t k_activity_window_seconds = 10 * 60;

// What shows that a backup is in use.
struct InUse {
    std::string reason;    // plain words: "held open by idevicebackup2 (pid 1234)", "changed in the
                           // last 10 minutes"
    fs::path path;         // the file that shows it
    std::string process;   // the process holding `path` open; empty when the files' times tell
    std::int64_t pid = 0;  // with `process`
};

// A backup in use, for outputs that name several backups.
using BackupInUse = std::pair<fs::path, InUse>;

// The backup is in use when another process holds a file inside it open (where the OS tells:
// open_files.h), whatever the times say; else when Snapshot/ (the staging folder) holds anything
// modified recently, or Status.plist says the session is not finished and was written recently, or
// Manifest.db-wal was written recently. A finished backup that just ended is not in use. A fresh
// copy (from another disk, or a git clone) has recent times too: hence --assume-finished.
std::optional<InUse> backup_in_use(const FileSystem& file_system, const Backup& backup,
                                   std::int64_t now);

// "idevicebackup2 (pid 1234) has /b/Manifest.db open", or "<file>: <reason>" when the times tell,
// e.g. "/b/Snapshot: changed in the last 10 minutes" (raw: text printers pass it through
// terminal_safe).
std::string describe_in_use(const InUse& in_use);

}  // namespace bkcheck
