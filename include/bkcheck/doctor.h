// doctor: why a backup fails, for someone who only knows "my backup failed". Looks at each folder
// of backups and each backup in it, and returns a ranked list of diagnoses, most likely cause
// first, each with the bkcheck command (or action) that fixes it. The causes are the ones help
// articles name: the backup volume is full (the device aborts with ErrorCode 105 when the host says
// it is short), an interrupted or damaged backup, an encrypted backup the password does not unlock
// or whose files lost their keys ("franken-backup", format.md §7), a folder the OS will not let us
// read (macOS Full Disk Access), and restore pitfalls (a backup from a newer iOS than another of
// the same device, identity mismatches, duplicate and very old backups). Reads only; writes
// nothing.
#pragma once

#include "bkcheck/backup.h"
#include "bkcheck/discovery.h"
#include "bkcheck/findings.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace bkcheck {

struct DoctorOptions : OperationContext {
    Platform platform =
        Platform::Linux;     // names macOS Full Disk Access when it is the likely cause
    bool read_data = false;  // read every file (slow): digests, and with a password each file's key
    // Free space below this is short whatever the backups' size: even an incremental backup
    // stages files on the host first.
    std::uint64_t headroom_bytes = 1ull << 30;
    // A full backup of a device needs about the size of its last backup plus headroom.
    double headroom_fraction = 0.10;
    std::int64_t old_after_days =
        365;  // backups older than this (not a device's newest) are prune candidates
    // Optional: unlocks an encrypted backup so its index and file keys are checked too.
    std::function<Result<const ClassKeys*>(const Backup&)> unlock;
};

struct Diagnosis {
    std::string code;  // stable: "space.short", "backup.interrupted", ... (README lists them)
    Severity severity = Severity::Error;  // Error and Warning are problems; Info is advice
    int rank = 0;          // within a severity, lower is the more likely cause of a failed backup
    fs::path subject;      // the backup, or the folder of backups
    std::string cause;     // plain words
    std::string evidence;  // what was seen that says so
    std::string fix;       // the command to run (or the action to take)
};

struct DoctorReport {
    std::vector<fs::path> roots;       // the folders of backups looked at
    std::vector<fs::path> backups;     // the backups found
    std::vector<Diagnosis> diagnoses;  // ranked: severity, then rank, then subject
    std::vector<BackupInUse>
        in_use;  // backups being written right now: a state, shown always, never a problem

    bool problems() const;  // any Error or Warning
    // For the exit status (one precedence for every verb): damage, a folder that could not be read
    // (access.denied, root.unreadable), and backups not examined (backup.unchecked).
    bool damage() const;  // any Error or Warning other than the two kinds below
    bool access_problem() const;
    bool unexamined() const;
};

// Diagnoses the backups in `roots` (each a backup or a folder of backups). An Error only when the
// caller cancelled; everything about the backups, unreadable folders included, is a Diagnosis.
Result<DoctorReport> diagnose(const FileSystem& file_system, const std::vector<fs::path>& roots,
                              const DoctorOptions& options);

// "Looked at N backups in M folders.", the backups in use, then each diagnosis numbered
// ("1. problem [code] subject", cause, "seen:", "fix:"), notes (Info) only when `verbose`, and a
// closing line. JSON: {roots, backups, backups_in_use, problems, diagnoses:[{code, severity,
// subject, cause, evidence, fix}]}, notes included.
std::string render_doctor_text(const DoctorReport& report, bool verbose, bool color);
std::string render_doctor_json(const DoctorReport& report);

}  // namespace bkcheck
