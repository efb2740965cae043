// repair: the smallest changes after which the next backup (and a restore) can succeed, chosen from
// what a full verify finds (format.md §1.6, §7). Every change is planned first and goes through the
// quarantine (quarantine.h), so it can be undone:
//   - Info.plist rebuilt from Manifest.plist's Lockdown data when missing or unreadable;
//   - Snapshot/ (an interrupted backup's staging folder) moved aside;
//   - a damaged Manifest.db salvaged: every readable row copied into a new database with Apple's
//     schema and settings, re-encrypted with the same ManifestKey when the backup is encrypted;
//   - index records whose blob is missing or damaged dropped (restore otherwise fails with
//     "Manifest references files not in backup", MBErrorDomain 205), their blobs moved aside;
//   - a misplaced blob moved to its folder;
//   - Status.plist rebuilt (finished) only when the verify proves everything else sound;
//   - force_full: the index files moved aside so the device makes a full backup next time.
// Nothing is moved through or out of a blob folder or blob that is a symlink (blob.link: it may
// lead into another backup); the link and the records whose content is behind it are left as they
// are.
#pragma once

#include "bkcheck/backup.h"
#include "bkcheck/findings.h"
#include "bkcheck/quarantine.h"
#include "bkcheck/verifier.h"

#include <atomic>
#include <cstdint>
#include <vector>

namespace bkcheck {

// `now` dates a rebuilt Status.plist; the full verify the plan starts from reports to `progress`
// and stops when `cancel` is set (Interrupted).
struct RepairOptions : OperationContext {
    bool force_full = false;
    const ClassKeys* keys =
        nullptr;  // unlocked class keys of an encrypted backup (index repairs need them)
};

struct RepairAssessment {
    VerifyResult before;            // the full verify the plan is based on
    std::vector<Finding> findings;  // all of them, uncapped
    Plan plan;
};

// Verifies `backup` in full (every blob read) and plans its repair. Reads only.
Result<RepairAssessment> plan_repair(const FileSystem& file_system, const Backup& backup,
                                     const RepairOptions& options);

// The check after `planned` was applied (`repaired`: the backup opened again): the plists, the
// index and every blob's presence and length are checked again in full, but only the content that
// could have changed is read again: the blobs the plan moved and those a finding named. The rest
// was read by plan_repair moments before and no change touched it, so a repair does not read the
// whole backup twice. Reads only.
Result<RepairAssessment> recheck_repair(const FileSystem& file_system, const Backup& repaired,
                                        const RepairAssessment& planned,
                                        const RepairOptions& options);

}  // namespace bkcheck
