// A backup folder and what its three plists say (format.md §1-2).
//
// open_backup() reads Info.plist (written by the host), Status.plist and Manifest.plist (written by
// the device), XML or binary. A missing or unreadable plist is recorded in its PlistPart, never an
// error: a verify still has to run on a damaged backup. The folder name is not trusted as the UDID
// (real backups get renamed, §11); identity comes from the plists.
#pragma once

#include "bkcheck/file_system.h"
#include "bkcheck/status.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bkcheck {

// The unwrapped class keys of an encrypted backup, opaque to a program using the library: it gets
// them from unlock.h and hands them on (as `const ClassKeys*`) to verify, extract, export, repair.
struct ClassKeys;

// What Info.plist says (§2.1). Empty strings for absent keys.
struct DeviceInfo {
    std::string device_name;
    std::string display_name;
    std::string product_type;     // "iPhone12,1"
    std::string product_name;     // "iPhone 11" (iTunes only)
    std::string product_version;  // iOS version
    std::string build_version;
    std::string serial_number;
    std::string target_identifier;  // UDID as the device reports it
    std::string unique_identifier;  // UDID uppercased
    std::string guid;
    std::string imei;
    std::string meid;
    std::string iccid;
    std::string phone_number;
    std::string itunes_version;
    std::optional<std::int64_t>
        last_backup_date;  // when the host *started* the last attempt (§1.6)
    std::size_t installed_application_count = 0;
};

// What Status.plist says (§2.2).
struct SnapshotStatus {
    std::string snapshot_state;  // "finished" when the last backup session completed
    std::string backup_state;
    std::string version;
    std::string uuid;
    std::optional<bool> is_full_backup;
    std::optional<std::int64_t> date;
};

// What Manifest.plist says (§2.3).
struct ManifestInfo {
    std::optional<bool> is_encrypted;
    std::optional<bool> was_passcode_set;
    std::string version;
    std::string system_domains_version;
    std::optional<std::int64_t> date;
    // Lockdown: the device's identity as of the last *successful* backup.
    std::string udid;
    std::string serial_number;
    std::string product_type;
    std::string product_version;
    std::string build_version;
    std::string device_name;
    Bytes keybag;        // BackupKeyBag
    Bytes manifest_key;  // ManifestKey (encrypted iOS >= 10.2)
    std::size_t application_count = 0;
};

enum class PartState { Ok, Missing, Unreadable };

template <typename T>
struct PlistPart {
    PartState state = PartState::Missing;
    T value{};            // meaningful when state == Ok
    std::string problem;  // plain words when Unreadable
    bool denied =
        false;  // Unreadable because this user may not read it (EACCES, EPERM): not damage
    bool binary = false;  // bplist00 rather than XML
    bool ok() const { return state == PartState::Ok; }
};

enum class BackupFormat {
    ManifestDb,         // iOS 10+
    ManifestMbdb,       // iOS 5-9
    LegacyUnsupported,  // iOS <= 4 (mdinfo/mddata, or mbdx without mbdb)
    NoIndex,            // neither index file is present
};

const char* backup_format_name(BackupFormat format);

// The state `list` shows for a backup, from the plists and folder alone (no blob is read).
enum class BackupState {
    Complete,      // finished, no Snapshot/, index and Manifest.plist present
    Interrupted,   // the last session did not finish (Status.plist not finished, or Snapshot/ left
                   // over)
    Unreadable,    // Manifest.plist or the index is missing or unreadable
    AccessDenied,  // this user may not read one of its plists: not known, and never taken for
                   // damage
};

const char* backup_state_name(BackupState state);

struct Backup {
    fs::path path;
    std::string folder_name;
    PlistPart<DeviceInfo> info;
    PlistPart<SnapshotStatus> status;
    PlistPart<ManifestInfo> manifest;
    BackupFormat format = BackupFormat::NoIndex;
    bool encrypted = false;  // Manifest.plist IsEncrypted
    bool snapshot_dir_present = false;
    // Top-level entries (Info.plist, Manifest.db, Snapshot, ...) that are symbolic links. Apple's
    // software writes none; bkcheck never reads, moves or writes through them (a crafted backup
    // could point them at any file of the user's), so each reads as unreadable, naming the link.
    std::vector<std::string> links;

    bool is_link(std::string_view name) const;

    // The device UDID (lowercase), best source first: Manifest.plist Lockdown, then Info.plist;
    // empty when neither says (never guessed from the folder name).
    std::string udid() const;
    // Whether `encrypted` is known: only Manifest.plist says, so not when it is missing or
    // unreadable.
    bool encryption_known() const;
    // "encrypted", "not encrypted" or "encryption unknown".
    const char* encryption_text() const;
    std::string device_name() const;
    std::string product_version() const;
    std::string product_type() const;
    BackupState state() const;
    // The plists this user may not read ("Info.plist", ...; PlistPart::denied), in that order.
    std::vector<std::string> denied_plists() const;
};

// Opens the backup in `dir`. NotFound when the folder does not exist, NotABackup when it holds none
// of the files a backup has, Io when it cannot be listed. Never fails because a plist is damaged.
Result<Backup> open_backup(const FileSystem& file_system, const fs::path& dir);

// The index file, or its -wal, when it is a symbolic link (never read through); nothing otherwise.
std::optional<std::string> index_link(const Backup& backup);

// Name of the index file for a format ("Manifest.db" / "Manifest.mbdb").
const char* index_file_name(BackupFormat format);

// Limit for any plist read into memory: real ones are a few MB (Info.plist carries app icons).
inline constexpr std::uint64_t k_max_plist_file_bytes = 256ull << 20;

}  // namespace bkcheck

// Whether a backup is being written right now ("in use"). A state, not damage: it never changes a
// verdict or an exit status of verify, info, list or doctor. Prune and repair refuse to --apply to
// a backup in use (moving files under a running Finder/iTunes/idevicebackup2 session would break
// that backup) unless told it is finished (--assume-finished).
namespace bkcheck {

// Recent = modified within this many seconds before `now`.
inline constexpr std::int64_t k_activity_window_seconds = 10 * 60;

// What shows that a backup is in use.
struct InUse {
    std::string reason;    // plain words: "held open by idevicebackup2 (pid 1234)", "changed in the
                           // last 10 minutes"
    fs::path path;         // the file that shows it
    std::string process;   // the process holding `path` open; empty when the files' times tell
    std::int64_t pid = 0;  // with `process`
};

// A backup in use, for outputs that name several backups.
using BackupInUse = std::pair<fs::path, InUse>;

// The backup is in use when another process holds a file inside it open (where the OS tells:
// open_files.h), whatever the times say; else when Snapshot/ (the staging folder) holds anything
// modified recently, or Status.plist says the session is not finished and was written recently, or
// Manifest.db-wal was written recently. A finished backup that just ended is not in use. A fresh
// copy (from another disk, or a git clone) has recent times too: hence --assume-finished.
std::optional<InUse> backup_in_use(const FileSystem& file_system, const Backup& backup,
                                   std::int64_t now);

// "idevicebackup2 (pid 1234) has /b/Manifest.db open", or "<file>: <reason>" when the times tell,
// e.g. "/b/Snapshot: changed in the last 10 minutes" (raw: text printers pass it through
// terminal_safe).
std::string describe_in_use(const InUse& in_use);

}  // namespace bkcheck
