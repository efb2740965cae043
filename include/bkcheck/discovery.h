// Where backups live and how to find them (format.md §1.1-1.2).
//
// The default roots depend on the platform and on environment facts (HOME, APPDATA, USERPROFILE),
// which the caller passes in, so discovery is testable on Linux with a fake home and can examine a
// mounted disk of another machine. Linux has no default root (idevicebackup2 takes a folder).
#pragma once

#include "bkcheck/file_system.h"
#include "bkcheck/status.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bkcheck {

enum class Platform { MacOS, Windows, Linux };

struct Environment {
    Platform platform = Platform::Linux;
    std::string home;         // HOME (macOS/Linux)
    std::string appdata;      // %APPDATA% (Windows)
    std::string userprofile;  // %USERPROFILE% (Windows)
};

// Where macOS grants a program the folders its privacy protection guards, Finder's backups in
// ~/Library/Application Support/MobileSync among them: until the terminal is allowed there, every
// program run from it gets "Operation not permitted" in them, even as their owner.
inline constexpr std::string_view k_full_disk_access_setting =
    "System Settings > Privacy & Security > Full Disk Access";

struct BackupRoot {
    fs::path path;
    std::string origin;  // "macOS Finder/iTunes", "Windows iTunes (apple.com)", ...
    // The OS setting that grants access when its privacy protection denies this root; empty
    // where none does (only macOS's root has one: k_full_disk_access_setting).
    std::string_view access_setting;
};

// The platform's default roots, whether or not they exist.
std::vector<BackupRoot> default_backup_roots(const Environment& environment);

// A backup folder name split into the UDID and, for archived copies ("<UDID>-YYYYMMDD-HHMMSS"),
// the archive stamp.
struct BackupFolderName {
    std::string udid;
    std::string archived_at;       // "YYYYMMDD-HHMMSS", empty when not an archived copy
    bool looks_like_udid = false;  // 40 hex, or 8 hex + '-' + 16 hex
};

BackupFolderName parse_backup_folder_name(std::string_view name);

// `root` itself when it is a backup; otherwise its sub-folders that are backups, sorted by name,
// with those this user may not look into (probe_backup_folder's permission error; hidden ".name"
// folders aside, which are never backups): they may be backups, and are never skipped as if absent.
// open_backup then gives the permission error for each (list shows it, doctor says access.denied).
// NotFound / Io when root cannot be listed (is_permission_error tells a root this user may not
// read).
Result<std::vector<fs::path>> find_backups(const FileSystem& file_system, const fs::path& root);

}  // namespace bkcheck
