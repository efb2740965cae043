// The retention rule of retention.h: per device, newest first, only sound backups count.
#include "retention.h"
#include "bkcheck/findings.h"

#include "bkcheck/discovery.h"
#include "bkcheck/prune.h"
#include "bytes.h"

#include <algorithm>
#include <limits>
#include <map>

namespace bkcheck {
namespace {

constexpr std::int64_t k_seconds_per_day = 86400;

std::string device_label(const Backup& backup, const std::string& key)
{
    if (!backup.device_name().empty()) {
        // Piece by piece: `"lit" + std::string&&` makes GCC 12 at -O3 warn -Wrestrict (a false
        // positive, bug 105329) in the README's first command.
        std::string label = "\"";
        label += backup.device_name();
        label += '"';
        return label;
    }
    if (!backup.udid().empty()) return backup.udid();
    return key.substr(key.find(':') + 1);
}

std::string folder_list(const std::vector<const Backup*>& backups)
{
    std::string text;
    for (const Backup* backup : backups) text += (text.empty() ? "" : ", ") + backup->folder_name;
    return text;
}

std::string ordinal(std::size_t n)
{
    if (n % 100 >= 11 && n % 100 <= 13) return std::to_string(n) + "th";
    const char* suffix = n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
    return std::to_string(n) + suffix;
}

// --keep-last N on one device's backups, newest first.
void keep_last(DeviceRetention& device, unsigned n)
{
    std::vector<const Backup*> kept_sound;
    std::size_t sound_total = 0;
    for (const RetentionDecision& decision : device.backups) {
        if (decision.health.health != Health::Sound) continue;
        if (kept_sound.size() < n) kept_sound.push_back(decision.backup);
        ++sound_total;
    }
    const std::string newest_n =
        n == 1 ? "the newest sound backup" : "the " + std::to_string(n) + " newest sound backups";
    const std::string kept_instead = " of " + device.device + ", which " +
                                     (kept_sound.size() == 1 ? "is" : "are") +
                                     " kept: " + folder_list(kept_sound);
    std::size_t sound_seen = 0;
    for (RetentionDecision& decision : device.backups) {
        if (decision.health.health == Health::Sound) {
            ++sound_seen;
            decision.keep = sound_seen <= n;
            decision.reason = !decision.keep ? "older than " + newest_n + kept_instead
                              : sound_seen == 1
                                  ? "newest sound backup of " + device.device + ": kept"
                                  : ordinal(sound_seen) + " newest sound backup of " +
                                        device.device + ": kept (--keep-last " + std::to_string(n) +
                                        ")";
            continue;
        }
        // Not sound: kept while fewer than N sound backups are newer, never counted.
        decision.keep = sound_seen < n;
        if (!decision.keep) {
            decision.reason =
                decision.health.detail + ", and older than " + newest_n + kept_instead;
        } else if (sound_total == 0) {
            decision.reason = decision.health.detail + ": kept: no backup of " + device.device +
                              " is known to be sound, so --keep-last removes none of them";
        } else {
            decision.reason = decision.health.detail + ": kept, not counted toward --keep-last";
        }
    }
}

// --older-than DAYS: removes what is older, except the newest and the newest sound backup.
void older_than(DeviceRetention& device, std::int64_t days, std::int64_t now, bool only_policy)
{
    const RetentionDecision* newest_sound = device.newest_sound();
    std::vector<const Backup*> protected_backups{device.backups.front().backup};
    if (newest_sound != nullptr && newest_sound != &device.backups.front()) {
        protected_backups.push_back(newest_sound->backup);
    }
    for (RetentionDecision& decision : device.backups) {
        if (!decision.keep) continue;  // --keep-last removes it already, with its reason
        const bool newest = &decision == &device.backups.front();
        const bool is_newest_sound = &decision == newest_sound;
        std::optional<std::int64_t> date = backup_date(*decision.backup);
        if (!newest && !is_newest_sound && date && *date < now - days * k_seconds_per_day) {
            decision.keep = false;
            decision.reason = "older than " + std::to_string(days) +
                              " days; kept instead: " + folder_list(protected_backups) +
                              " (the newest" +
                              (protected_backups.size() > 1 ? " and the newest sound" : "") +
                              " backup of " + device.device + ")";
        } else if (only_policy) {
            decision.reason = newest && is_newest_sound
                                  ? "newest backup of " + device.device + ", and sound: kept"
                              : newest ? "newest backup of " + device.device + " (" +
                                             decision.health.detail + "): kept"
                              : is_newest_sound
                                  ? "newest sound backup of " + device.device + ": kept"
                              : date ? "not older than " + std::to_string(days) + " days: kept"
                                     : "date unknown: kept";
        }
    }
}

}  // namespace

BackupHealth health_while_in_use(const InUse& in_use)
{
    return {Health::Unknown,
            "health unknown (being written right now: " + describe_in_use(in_use) + ")"};
}

BackupHealth health_from_verify(const Result<VerifyResult>& verified, const FindingSink& sink)
{
    if (!verified) {
        const Error& error = verified.error();
        if (error.code == ErrorCode::WrongPassword) {
            return {Health::Unknown, "health unknown (the password given does not unlock it)"};
        }
        if (is_permission_error(error))
            return {Health::Unknown, "health unknown (this user may not read it)"};
        return {Health::Unknown, "health unknown (not checked: " + error.describe() + ")"};
    }
    switch (verified->verdict) {
        case Verdict::Ok:
            return {Health::Sound, "sound"};
        case Verdict::Damaged:
            return {Health::Damaged, "damaged"};
        case Verdict::Incomplete:
            return {Health::Damaged, "incomplete (the last backup did not finish)"};
        case Verdict::Unreadable:
            return {Health::Damaged, "unreadable"};
        case Verdict::Unchecked:
            break;
    }
    if (sink.count(finding_code::access_denied) > 0)
        return {Health::Unknown, "health unknown (this user may not read all of it)"};
    if (sink.count(finding_code::manifest_encrypted) > 0) {
        return {Health::Unknown, "health unknown (encrypted, and no password was given)"};
    }
    return {Health::Unknown, "health unknown (some files could not be looked at)"};
}

const RetentionDecision* DeviceRetention::newest_sound() const
{
    for (const RetentionDecision& decision : backups) {
        if (decision.health.health == Health::Sound) return &decision;
    }
    return nullptr;
}

std::string retention_device_key(const Backup& backup)
{
    std::string udid = backup.udid();
    if (!udid.empty()) return udid;
    return "folder:" + to_lower_ascii(parse_backup_folder_name(backup.folder_name).udid);
}

bool retention_newer(const Backup& a, const Backup& b)
{
    constexpr std::int64_t unknown =
        std::numeric_limits<std::int64_t>::min();  // a backup without a date is the oldest
    std::int64_t date_a = backup_date(a).value_or(unknown);
    std::int64_t date_b = backup_date(b).value_or(unknown);
    if (date_a != date_b) return date_a > date_b;
    return a.folder_name < b.folder_name;
}

std::vector<DeviceRetention> decide_retention(const std::vector<RetentionCandidate>& candidates,
                                              const RetentionPolicy& policy)
{
    std::map<std::string, std::vector<RetentionCandidate>> by_device;
    for (const RetentionCandidate& candidate : candidates) {
        by_device[retention_device_key(*candidate.backup)].push_back(candidate);
    }
    std::vector<DeviceRetention> devices;
    for (auto& [key, group] : by_device) {
        std::sort(group.begin(), group.end(),
                  [](const RetentionCandidate& a, const RetentionCandidate& b) {
                      return retention_newer(*a.backup, *b.backup);
                  });
        DeviceRetention device;
        device.device = device_label(*group.front().backup, key);
        for (const RetentionCandidate& candidate : group) {
            device.backups.push_back({candidate.backup, candidate.health, true, {}});
        }
        if (policy.keep_last) keep_last(device, std::max(1u, *policy.keep_last));
        if (policy.older_than_days)
            older_than(device, *policy.older_than_days, policy.now, !policy.keep_last);
        devices.push_back(std::move(device));
    }
    return devices;
}

}  // namespace bkcheck
