// Internal to doctor: the ranks that order its diagnoses and helpers shared by its two files.
#pragma once

#include "bkcheck/doctor.h"
#include "bkcheck/findings.h"
#include "retention.h"

#include <string>
#include <vector>

namespace bkcheck {

// Within one severity, the most likely cause of "my backup failed" first: a folder the backup
// program cannot read or a full volume stops every backup; an interrupted or damaged backup stops
// that device's next one; the rest matter at restore time or only cost space.
namespace rank {
inline constexpr int access = 0;
inline constexpr int space = 1;
inline constexpr int in_progress = 2;
inline constexpr int unfinished = 2;  // a bkcheck run stopped midway: the backup is half-changed
inline constexpr int interrupted = 3;
inline constexpr int unreadable = 4;
inline constexpr int damaged = 5;
inline constexpr int franken = 6;
inline constexpr int password = 7;
inline constexpr int identity = 8;
inline constexpr int unsupported = 9;
inline constexpr int newer_ios = 10;
inline constexpr int duplicate = 11;
inline constexpr int old = 12;
inline constexpr int leftovers = 13;
inline constexpr int unchecked = 14;
}  // namespace rank


// A backup's health as doctor's verify saw it (with --read-data stricter than prune's) and as prune
// sees it (structure only): retention advice needs both, so it never advises a prune that would
// remove what doctor found to be the newest sound backup.
struct RetentionHealth {
    BackupHealth doctor;
    BackupHealth prune;
};

// Diagnoses across the backups of one device: a newer iOS than another backup, several backups,
// very old backups, by retention.h's rule. `health` is per backup, in the same order.
void diagnose_devices(const std::vector<Backup>& backups,
                      const std::vector<RetentionHealth>& health, const DoctorOptions& options,
                      std::vector<Diagnosis>& out);

}  // namespace bkcheck
