// doctor across backups of one device (by UDID) in one folder: newer iOS than another backup,
// duplicates, old copies. Also the small text helpers doctor's diagnoses share.
#include "doctor_steps.h"

#include "bkcheck/path_text.h"
#include "bkcheck/prune.h"

#include <cstdio>
#include <map>

namespace bkcheck {
namespace {

// "17.2.1" -> {17, 2, 1}; what is not a number counts as 0.
std::vector<int> version_parts(const std::string& version)
{
    std::vector<int> parts;
    std::size_t start = 0;
    while (start <= version.size()) {
        std::size_t dot = version.find('.', start);
        std::string part =
            version.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        int value = 0;
        for (char c : part) {
            if (c < '0' || c > '9') break;
            value = value * 10 + (c - '0');
        }
        parts.push_back(value);
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return parts;
}

bool version_less(const std::string& a, const std::string& b)
{
    return version_parts(a) < version_parts(b);
}

struct DeviceBackup {
    const Backup* backup;
    RetentionHealth health;
};

// Advice on which backups of one device can go, by the rule prune --keep-last follows
// (retention.h), decided on doctor's view of their health. A prune command is advised only when
// prune, which checks structure only, sees the same backups as sound: else it could remove what
// doctor found to be the newest sound backup.
void diagnose_retention(const std::vector<DeviceBackup>& backups, const DoctorOptions& options,
                        std::vector<Diagnosis>& out)
{
    std::vector<RetentionCandidate> candidates;
    std::vector<const Backup*>
        prune_misjudges;  // sound to prune, not to doctor (found by --read-data)
    for (const DeviceBackup& entry : backups) {
        candidates.push_back({entry.backup, entry.health.doctor});
        if ((entry.health.doctor.health == Health::Sound) !=
            (entry.health.prune.health == Health::Sound)) {
            prune_misjudges.push_back(entry.backup);
        }
    }
    RetentionPolicy keep_one;
    keep_one.keep_last = 1;
    const DeviceRetention device = decide_retention(candidates, keep_one).front();
    const RetentionDecision& newest = device.backups.front();
    const RetentionDecision* newest_sound = device.newest_sound();
    const fs::path root = newest.backup->path.parent_path();
    std::string kept;
    for (const RetentionDecision& decision : device.backups) {
        if (!decision.keep) continue;
        kept += (kept.empty() ? "" : ", ") + path_text(decision.backup->path) + " (" +
                decision.health.detail + ")";
    }
    std::string not_yet;
    if (!prune_misjudges.empty()) {
        not_yet = "not yet: bkcheck prune checks no file's content and takes " +
                  path_text(prune_misjudges.front()->path) +
                  " for sound, so it could remove the newest backup found sound here; repair it "
                  "(bkcheck repair " +
                  shell_quote(prune_misjudges.front()->path) + ") or make a new backup first";
    }
    for (const RetentionDecision& decision : device.backups) {
        if (&decision == &newest) continue;
        const Backup& backup = *decision.backup;
        if (decision.keep) {
            // A damaged backup kept here has its own diagnosis; the newest sound one is said to be
            // kept.
            if (&decision != newest_sound) continue;
            const std::string newest_path = shell_quote(newest.backup->path);
            out.push_back(
                {"backup.newest_sound", Severity::Info, rank::duplicate, backup.path,
                 "the newest backup of " + device.device + " is not known to be sound (" +
                     newest.health.detail + "): this older one is its newest sound backup, keep it",
                 "newest: " + path_text(newest.backup->path) + " (" + newest.health.detail + ")",
                 "keep it until a newer backup verifies ok (" +
                     (newest.health.health == Health::Damaged
                          ? "bkcheck repair " + newest_path + ", or make a new backup"
                          : "bkcheck verify " + newest_path +
                                ", with the password if it is encrypted") +
                     ")" +
                     (not_yet.empty()
                          ? "; bkcheck prune --keep-last 1 " + shell_quote(root) +
                                " keeps both: a backup that is not sound does not count "
                                "toward --keep-last"
                          : std::string())});
            continue;
        }
        std::optional<std::int64_t> date = backup_date(backup);
        std::int64_t age_days = date ? (options.now - *date) / 86400 : 0;
        std::string evidence = "kept: " + kept;
        if (date && age_days > options.old_after_days) {
            out.push_back({"backup.old", Severity::Info, rank::old, backup.path,
                           "a very old backup of " + device.device +
                               ", with a newer sound one beside it: a prune "
                               "candidate",
                           std::to_string(age_days) + " days old; " + evidence,
                           not_yet.empty() ? "bkcheck prune --older-than " +
                                                 std::to_string(options.old_after_days) + " " +
                                                 shell_quote(root)
                                           : not_yet});
        } else {
            out.push_back(
                {"backup.duplicate", Severity::Info, rank::duplicate, backup.path,
                 "another, newer sound backup of " + device.device + " exists: a prune candidate",
                 evidence,
                 not_yet.empty() ? "bkcheck prune --keep-last 1 " + shell_quote(root) : not_yet});
        }
    }
}

void diagnose_device(const std::vector<DeviceBackup>& backups, const DoctorOptions& options,
                     std::vector<Diagnosis>& out)
{
    const Backup* oldest_ios = backups.front().backup;
    for (const DeviceBackup& entry : backups) {
        if (version_less(entry.backup->product_version(), oldest_ios->product_version()))
            oldest_ios = entry.backup;
    }
    for (const DeviceBackup& entry : backups) {
        const Backup* backup = entry.backup;
        const std::string& version = backup->product_version();
        if (!version.empty() && !oldest_ios->product_version().empty() &&
            version_less(oldest_ios->product_version(), version)) {
            out.push_back({"ios.newer", Severity::Info, rank::newer_ios, backup->path,
                           "restoring this backup needs a device on iOS " + version +
                               " or newer; another backup of the same device is from an older iOS",
                           "iOS " + version + " here, iOS " + oldest_ios->product_version() +
                               " in " + path_text(oldest_ios->path),
                           "update the device to iOS " + version +
                               " before restoring it, or restore " +
                               shell_quote(oldest_ios->path)});
        }
    }
    if (backups.size() > 1) diagnose_retention(backups, options, out);
}

}  // namespace

void diagnose_devices(const std::vector<Backup>& backups,
                      const std::vector<RetentionHealth>& health, const DoctorOptions& options,
                      std::vector<Diagnosis>& out)
{
    // Per folder and device, as prune works: the same grouping and the same rule.
    std::map<std::pair<fs::path, std::string>, std::vector<DeviceBackup>> by_device;
    for (std::size_t i = 0; i < backups.size(); ++i) {
        const Backup& backup = backups[i];
        by_device[{backup.path.parent_path(), retention_device_key(backup)}].push_back(
            {&backup, health[i]});
    }
    for (const auto& [device, device_backups] : by_device)
        diagnose_device(device_backups, options, out);
}

}  // namespace bkcheck
