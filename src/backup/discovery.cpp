#include "bkcheck/discovery.h"
#include "backup_folder.h"
#include "bkcheck/path_text.h"

#include <cctype>

namespace bkcheck {
namespace {

bool all_hex(std::string_view text)
{
    for (char c : text) {
        if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    }
    return !text.empty();
}

bool all_digits(std::string_view text)
{
    for (char c : text) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    }
    return !text.empty();
}

// 40 hex (older devices) or 8 hex + '-' + 16 hex (newer devices), §1.2.
bool is_udid(std::string_view text)
{
    if (text.size() == 40) return all_hex(text);
    if (text.size() == 25 && text[8] == '-')
        return all_hex(text.substr(0, 8)) && all_hex(text.substr(9));
    return false;
}

}  // namespace

std::vector<BackupRoot> default_backup_roots(const Environment& environment)
{
    std::vector<BackupRoot> roots;
    switch (environment.platform) {
        case Platform::MacOS:
            if (!environment.home.empty()) {
                roots.push_back(
                    {fs::path(environment.home) / "Library/Application Support/MobileSync/Backup",
                     "macOS Finder/iTunes", k_full_disk_access_setting});
            }
            break;
        case Platform::Windows:
            if (!environment.appdata.empty()) {
                roots.push_back(
                    {fs::path(environment.appdata) / "Apple Computer" / "MobileSync" / "Backup",
                     "Windows iTunes (apple.com)",
                     {}});
            }
            if (!environment.userprofile.empty()) {
                roots.push_back(
                    {fs::path(environment.userprofile) / "Apple" / "MobileSync" / "Backup",
                     "Windows iTunes (Microsoft Store) / Apple Devices",
                     {}});
            }
            break;
        case Platform::Linux:
            break;  // idevicebackup2 and pymobiledevice3 have no default folder (§1.1)
    }
    return roots;
}

BackupFolderName parse_backup_folder_name(std::string_view name)
{
    BackupFolderName parsed;
    // "<UDID>-YYYYMMDD-HHMMSS": the stamp is the last 16 characters.
    if (name.size() > 16) {
        std::string_view stamp = name.substr(name.size() - 16);
        std::string_view head = name.substr(0, name.size() - 16);
        if (stamp[0] == '-' && stamp[9] == '-' && all_digits(stamp.substr(1, 8)) &&
            all_digits(stamp.substr(10)) && is_udid(head)) {
            parsed.udid = std::string(head);
            parsed.archived_at = std::string(stamp.substr(1));
            parsed.looks_like_udid = true;
            return parsed;
        }
    }
    parsed.udid = std::string(name);
    parsed.looks_like_udid = is_udid(name);
    return parsed;
}

Result<std::vector<fs::path>> find_backups(const FileSystem& file_system, const fs::path& root)
{
    auto stat = file_system.stat(root);
    if (!stat) return std::move(stat).error();
    if (stat->type != EntryType::Directory) {
        return make_error(ErrorCode::NotABackup, path_text(root), "not a folder");
    }
    if (looks_like_backup(file_system, root)) return std::vector<fs::path>{root};
    auto entries = file_system.list(root);
    if (!entries) return std::move(entries).error();
    std::vector<fs::path> backups;
    for (const DirEntry& entry : *entries) {
        // A symlinked backup folder is followed: users move backups to other drives (§1.1).
        if (entry.type != EntryType::Directory && entry.type != EntryType::Symlink) continue;
        fs::path candidate = root / entry.name;
        auto probe = probe_backup_folder(file_system, candidate);
        bool denied = !probe && is_permission_error(probe.error()) && entry.name.front() != '.';
        if ((probe && *probe) || denied) backups.push_back(candidate);
    }
    return backups;
}

}  // namespace bkcheck
