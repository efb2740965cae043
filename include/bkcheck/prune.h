// prune: what can go from a folder of backups without losing anything a restore needs (format.md
// §1.7): orphan blobs, the Snapshot/ staging folder an interrupted backup leaves (later backups
// fail with ErrorCode 104 while it is there), empty blob folders, SQLite's stale -shm file; and,
// only when asked, whole backups by a retention policy or because nothing can be restored from
// them.
#pragma once

#include "bkcheck/backup.h"
#include "bkcheck/quarantine.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace bkcheck {

// Each backup's verify reports to `progress`; setting `cancel` stops the planning (Interrupted)
// before the next backup or within a verify.
struct PruneOptions : OperationContext {
    // Whole backups by retention.h's rule: only sound backups count, and a device's newest sound
    // backup always stays.
    std::optional<unsigned> keep_last;  // keep the N newest sound backups of each device
    std::optional<std::int64_t>
        older_than_days;         // remove backups older than this (never a device's newest)
    bool unrecoverable = false;  // remove backups whose index or Manifest.plist is unreadable
    // Unlocks an encrypted backup so its index can be read and orphans told apart (a blob no record
    // names is only an orphan if every record was read). Empty, or an error (a wrong password):
    // that backup's orphans are left alone, with the reason in the plan.
    std::function<Result<const ClassKeys*>(const Backup&)> unlock;
};

// The prune plan for `backups`, which must all sit in one folder (`root`). Reads only. Each backup
// is verified once, structurally: for its health (retention) and its orphans. With a retention
// option, the plan's left_alone says why each kept backup of a device with several stays.
Result<Plan> plan_prune(const FileSystem& file_system, const fs::path& root,
                        const std::vector<Backup>& backups, const PruneOptions& options);

// When a backup was made, best source first: Status.plist Date, Manifest.plist Date, Info.plist
// Last Backup Date (which is refreshed even by failed attempts, §1.6).
std::optional<std::int64_t> backup_date(const Backup& backup);

}  // namespace bkcheck
