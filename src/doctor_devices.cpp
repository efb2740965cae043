// doctor across backups of one device (by UDID) in one folder: newer iOS than another backup, duplicates, old
// copies. Also the small text helpers doctor's diagnoses share.
#include "doctor_steps.h"

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
        std::string part = version.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
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

std::string device_label(const Backup& backup)
{
    std::string name = backup.device_name();
    if (!name.empty()) return "\"" + name + "\"";
    return backup.udid().empty() ? backup.folder_name : backup.udid();
}

void diagnose_device(const std::vector<const Backup*>& backups, const DoctorOptions& options,
                     std::vector<Diagnosis>& out)
{
    const Backup* newest = backups.front();
    const Backup* oldest_ios = backups.front();
    for (const Backup* backup : backups) {
        if (backup_date(*backup).value_or(0) > backup_date(*newest).value_or(0)) newest = backup;
        if (version_less(backup->product_version(), oldest_ios->product_version())) oldest_ios = backup;
    }
    for (const Backup* backup : backups) {
        const std::string& version = backup->product_version();
        if (!version.empty() && !oldest_ios->product_version().empty() &&
            version_less(oldest_ios->product_version(), version)) {
            out.push_back({"ios.newer", Severity::Info, rank::newer_ios, backup->path,
                           "restoring this backup needs a device on iOS " + version +
                               " or newer; another backup of the same device is from an older iOS",
                           "iOS " + version + " here, iOS " + oldest_ios->product_version() + " in " +
                               oldest_ios->path.string(),
                           "update the device to iOS " + version + " before restoring it, or restore " +
                               shell_quote(oldest_ios->path)});
        }
        if (backup == newest || backups.size() < 2) continue;
        fs::path root = backup->path.parent_path();
        std::optional<std::int64_t> date = backup_date(*backup);
        std::int64_t age_days = date ? (options.now - *date) / 86400 : 0;
        if (date && age_days > options.old_after_days) {
            out.push_back({"backup.old", Severity::Info, rank::old, backup->path,
                           "a very old backup of " + device_label(*backup) + ", with a newer one beside it: a prune "
                           "candidate",
                           std::to_string(age_days) + " days old; newest: " + newest->path.string(),
                           "bkcheck prune --older-than " + std::to_string(options.old_after_days) + " " +
                               shell_quote(root)});
        } else {
            out.push_back({"backup.duplicate", Severity::Info, rank::duplicate, backup->path,
                           "another, newer backup of " + device_label(*backup) + " exists: a prune candidate",
                           "newest: " + newest->path.string(), "bkcheck prune --keep-last 1 " + shell_quote(root)});
        }
    }
}

}  // namespace

std::string human_size(std::uint64_t bytes)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f GB", static_cast<double>(bytes) / 1e9);
    return buffer;
}

void diagnose_devices(const std::vector<Backup>& backups, const DoctorOptions& options, std::vector<Diagnosis>& out)
{
    // Per folder, as prune works: a device's newest backup in one folder is never a prune candidate.
    std::map<std::pair<fs::path, std::string>, std::vector<const Backup*>> by_device;
    for (const Backup& backup : backups) {
        if (!backup.udid().empty()) by_device[{backup.path.parent_path(), backup.udid()}].push_back(&backup);
    }
    for (const auto& [device, device_backups] : by_device) diagnose_device(device_backups, options, out);
}

}  // namespace bkcheck
