// Retention: which backups of a device `prune --keep-last N` and `--older-than DAYS` keep, and why.
// One rule, used by prune (which removes the rest) and by doctor (which advises it):
//
//  - A device's backups (in one folder) are ordered newest first: by backup_date(), then by folder
//    name, so equal dates never leave the order to the folder listing.
//  - "Sound" is what a structural verify (bkcheck verify without --read-data) calls ok. A backup
//  that
//    is damaged, incomplete or unreadable is not sound; nor is one whose health could not be
//    established (encrypted without the password, a wrong password, access denied...), nor one
//    being written right now (in use, backup.h): what it will hold is not known yet, so
//    the copies before it are what a restore can count on.
//  - The newest sound backup of a device is never removed.
//  - --keep-last N keeps the N newest sound backups. A backup that is not sound never counts toward
//    N: it is kept when it is newer than the N-th newest sound backup (so a damaged newest backup
//    stays, and so does the sound one before it), and removed when older. A device without any
//    sound backup loses none of its backups to --keep-last.
//  - --older-than DAYS removes backups older than that, except the device's newest and its newest
//    sound backup.
#pragma once

#include "bkcheck/backup.h"
#include "bkcheck/findings.h"
#include "bkcheck/verifier.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bkcheck {

enum class Health {
    Sound,    // a structural verify says ok
    Damaged,  // damaged, incomplete or unreadable
    Unknown,  // could not be established: counts as not sound
};

struct BackupHealth {
    Health health = Health::Unknown;
    std::string detail;  // plain words for a plan: "damaged", "health unknown: encrypted, and no
                         // password given"
};

// The health of a backup from the outcome of its verify (the one prune and doctor already run;
// structural unless the caller asked for more), so there is no second verifier.
BackupHealth health_from_verify(const Result<VerifyResult>& verified, const FindingSink& sink);

// The health of a backup being written right now, whatever its verify said.
BackupHealth health_while_in_use(const InUse& in_use);

struct RetentionPolicy {
    std::optional<unsigned> keep_last;  // N >= 1
    std::optional<std::int64_t> older_than_days;
    std::int64_t now = 0;  // Unix seconds, for older_than_days
};

struct RetentionCandidate {
    const Backup* backup = nullptr;
    BackupHealth health;
};

struct RetentionDecision {
    const Backup* backup = nullptr;
    BackupHealth health;
    bool keep = true;
    std::string reason;  // why it stays or goes; a removal names the sound backups kept instead
};

struct DeviceRetention {
    std::string device;  // for people: device name, else UDID, else folder UDID part
    std::vector<RetentionDecision> backups;  // newest first

    const RetentionDecision* newest_sound() const;  // nullptr: no sound backup
};

// How backups are grouped per device: the UDID the plists name, else (plists that name none) the
// UDID part of the folder name, so such a backup is never weighed against another device's.
std::string retention_device_key(const Backup& backup);

// Whether `a` is newer than `b` in the retention order (date, then folder name).
bool retention_newer(const Backup& a, const Backup& b);

// Applies the rule above to `candidates` (backups of one folder), per device, in device-key order.
// With neither keep_last nor older_than_days every backup is kept.
std::vector<DeviceRetention> decide_retention(const std::vector<RetentionCandidate>& candidates,
                                              const RetentionPolicy& policy);

}  // namespace bkcheck
