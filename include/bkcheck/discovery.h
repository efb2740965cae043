// Where backups live and how to find them (format.md §1.1-1.2).
//
// The default roots depend on the platform and on environment facts (HOME, APPDATA, USERPROFILE),
// which the caller passes in, so discovery is testable on Linux with a fake home and can examine a
// mounted disk of another machine. Linux has no default root (idevicebackup2 takes a folder).
#pragma once

#include "bkcheck/backup.h"
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

// The backups in a ROOT the user named (a backup or a folder of backups). A ROOT that does not
// exist is NotFound (a typing error), one that holds no backup NotABackup: never an empty list
// that reads as "nothing wrong".
Result<std::vector<fs::path>> backups_in_named_root(const FileSystem& file_system,
                                                    const fs::path& root);

// One row of `bkcheck list`: a backup found, or a folder that could not be opened as one, or a
// default place this user may not list (macOS without Full Disk Access), which may hold many.
struct ListedBackup {
    fs::path path;
    std::optional<Backup> backup;  // absent when the folder could not be opened at all
    std::string problem;
    bool denied = false;  // this user may not read the folder or one of its plists (access.denied)
    bool place = false;   // a default place that could not be listed, not a backup
    std::string fix;      // for a place the OS's privacy protection denies: what grants access
    std::string archived_at;
    std::uint64_t size = 0;
    std::optional<InUse> in_use;  // shown, never judged
};

struct BackupListing {
    std::vector<std::string> searched;  // the roots, as named or as the defaults
    std::vector<ListedBackup> rows;
    bool denied() const;  // a row this user may not read: it may hide a backup
};

// Every backup in `named_roots`, or without them in the default places of `environment` (which
// must have some). A named root that does not exist or holds no backup is an error (as
// backups_in_named_root); a default place that does not exist holds no backups.
Result<BackupListing> list_backups(const FileSystem& file_system,
                                   const std::vector<std::string>& named_roots,
                                   const Environment& environment, std::int64_t now);

}  // namespace bkcheck
