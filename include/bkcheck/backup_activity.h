// Whether a backup is being written right now. Prune and repair refuse to touch one that is: moving
// files under a running Finder/iTunes/idevicebackup2 session would break that backup.
#pragma once

#include "bkcheck/backup.h"

#include <cstdint>

namespace bkcheck {

// Recent = modified within this many seconds before `now`.
inline constexpr std::int64_t k_activity_window_seconds = 10 * 60;

// InUse, naming the file, when Snapshot/ (the staging folder) holds anything modified recently, or
// Status.plist says the session is not finished and was written recently, or Manifest.db-wal was
// written recently. A finished backup that just ended is not in use.
Status check_not_in_use(const FileSystem& file_system, const Backup& backup, std::int64_t now);

}  // namespace bkcheck
