#include "bkcheck/backup.h"
#include "bytes.h"

#include "bkcheck/discovery.h"
#include "bkcheck/path_text.h"
#include "plist.h"

#include <algorithm>
#include <cctype>

namespace bkcheck {
namespace {

std::string string_or_empty(PlistNode node)
{
    return node.string_value().value_or(std::string());
}

std::size_t count_of(PlistNode node)
{
    return node.size();
}

DeviceInfo read_device_info(PlistNode root)
{
    DeviceInfo info;
    info.device_name = string_or_empty(root["Device Name"]);
    info.display_name = string_or_empty(root["Display Name"]);
    info.product_type = string_or_empty(root["Product Type"]);
    info.product_name = string_or_empty(root["Product Name"]);
    info.product_version = string_or_empty(root["Product Version"]);
    info.build_version = string_or_empty(root["Build Version"]);
    info.serial_number = string_or_empty(root["Serial Number"]);
    info.target_identifier = string_or_empty(root["Target Identifier"]);
    info.unique_identifier = string_or_empty(root["Unique Identifier"]);
    // GUID is a string from iTunes/idevicebackup2 but raw data from pymobiledevice3 (§2.1).
    if (auto guid = root["GUID"].data()) {
        info.guid = to_hex(*guid);
    } else {
        info.guid = string_or_empty(root["GUID"]);
    }
    info.imei = string_or_empty(root["IMEI"]);
    info.meid = string_or_empty(root["MEID"]);
    info.iccid = string_or_empty(root["ICCID"]);
    info.phone_number = string_or_empty(root["Phone Number"]);
    info.itunes_version = string_or_empty(root["iTunes Version"]);
    info.last_backup_date = root["Last Backup Date"].date_unix();
    info.installed_application_count = count_of(root["Installed Applications"]);
    return info;
}

SnapshotStatus read_snapshot_status(PlistNode root)
{
    SnapshotStatus status;
    status.snapshot_state = string_or_empty(root["SnapshotState"]);
    status.backup_state = string_or_empty(root["BackupState"]);
    status.version = string_or_empty(root["Version"]);
    status.uuid = string_or_empty(root["UUID"]);
    status.is_full_backup = root["IsFullBackup"].boolean();
    status.date = root["Date"].date_unix();
    return status;
}

ManifestInfo read_manifest_info(PlistNode root)
{
    ManifestInfo manifest;
    manifest.is_encrypted = root["IsEncrypted"].boolean();
    manifest.was_passcode_set = root["WasPasscodeSet"].boolean();
    manifest.version = string_or_empty(root["Version"]);
    manifest.system_domains_version = string_or_empty(root["SystemDomainsVersion"]);
    manifest.date = root["Date"].date_unix();
    PlistNode lockdown = root["Lockdown"];
    manifest.udid = string_or_empty(lockdown["UniqueDeviceID"]);
    manifest.serial_number = string_or_empty(lockdown["SerialNumber"]);
    manifest.product_type = string_or_empty(lockdown["ProductType"]);
    manifest.product_version = string_or_empty(lockdown["ProductVersion"]);
    manifest.build_version = string_or_empty(lockdown["BuildVersion"]);
    manifest.device_name = string_or_empty(lockdown["DeviceName"]);
    manifest.keybag = root["BackupKeyBag"].data().value_or(Bytes());
    manifest.manifest_key = root["ManifestKey"].data().value_or(Bytes());
    manifest.application_count = count_of(root["Applications"]);
    return manifest;
}

// Reads and parses one plist into its part. A root that is not a dictionary (a truncated or foreign
// file) is unreadable; otherwise it would read as "every key absent".
template <typename T, typename Reader>
PlistPart<T> read_part(const FileSystem& file_system, const Backup& backup, const char* name,
                       Reader reader)
{
    PlistPart<T> part;
    fs::path file = backup.path / name;
    if (backup.is_link(name)) {
        part.state = PartState::Unreadable;
        part.problem =
            "is a symbolic link, not a file: bkcheck does not read through links inside a backup";
        return part;
    }
    auto bytes = file_system.read_file(file, k_max_plist_file_bytes);
    if (!bytes) {
        part.state =
            bytes.error().code == ErrorCode::NotFound ? PartState::Missing : PartState::Unreadable;
        part.problem = bytes.error().message;
        part.denied = is_permission_error(bytes.error());
        return part;
    }
    auto document = PlistDocument::parse(*bytes, path_text(file));
    if (!document) {
        part.state = PartState::Unreadable;
        part.problem = document.error().message;
        return part;
    }
    PlistNode root = document->root();
    if (root.type() != PlistType::Dict) {
        part.state = PartState::Unreadable;
        part.problem =
            std::string("the top level is ") + plist_type_name(root.type()) + ", not a dictionary";
        return part;
    }
    part.state = PartState::Ok;
    part.binary = document->is_binary();
    part.value = reader(root);
    return part;
}

bool has_entry(const std::vector<DirEntry>& entries, std::string_view name)
{
    return std::any_of(entries.begin(), entries.end(),
                       [&](const DirEntry& e) { return e.name == name; });
}

bool ends_with(std::string_view text, std::string_view suffix)
{
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

BackupFormat detect_format(const std::vector<DirEntry>& entries)
{
    if (has_entry(entries, "Manifest.db")) return BackupFormat::ManifestDb;
    if (has_entry(entries, "Manifest.mbdb")) return BackupFormat::ManifestMbdb;
    // iOS 4 kept Manifest.mbdx beside the mbdb; iOS <= 3 used .mdinfo/.mddata pairs (§1.3).
    bool legacy = std::any_of(entries.begin(), entries.end(), [](const DirEntry& e) {
        return e.name == "Manifest.mbdx" || ends_with(e.name, ".mdinfo") ||
               ends_with(e.name, ".mddata");
    });
    return legacy ? BackupFormat::LegacyUnsupported : BackupFormat::NoIndex;
}

}  // namespace

const char* backup_format_name(BackupFormat format)
{
    switch (format) {
        case BackupFormat::ManifestDb:
            return "manifest_db";
        case BackupFormat::ManifestMbdb:
            return "manifest_mbdb";
        case BackupFormat::LegacyUnsupported:
            return "legacy_unsupported";
        case BackupFormat::NoIndex:
            return "no_index";
    }
    return "no_index";
}

const char* backup_state_name(BackupState state)
{
    switch (state) {
        case BackupState::Complete:
            return "complete";
        case BackupState::Interrupted:
            return "interrupted";
        case BackupState::Unreadable:
            return "unreadable";
        case BackupState::AccessDenied:
            return "access denied";
    }
    return "unreadable";
}

const char* index_file_name(BackupFormat format)
{
    return format == BackupFormat::ManifestMbdb ? "Manifest.mbdb" : "Manifest.db";
}

std::string Backup::udid() const
{
    if (manifest.ok() && !manifest.value.udid.empty()) return to_lower_ascii(manifest.value.udid);
    if (info.ok() && !info.value.target_identifier.empty())
        return to_lower_ascii(info.value.target_identifier);
    if (info.ok() && !info.value.unique_identifier.empty())
        return to_lower_ascii(info.value.unique_identifier);
    return {};  // unknown: a folder name is only a name, and folders get renamed
}

bool Backup::encryption_known() const
{
    return manifest.ok();
}

const char* Backup::encryption_text() const
{
    if (!encryption_known()) return "encryption unknown";
    return encrypted ? "encrypted" : "not encrypted";
}

std::string Backup::device_name() const
{
    if (info.ok() && !info.value.device_name.empty()) return info.value.device_name;
    if (manifest.ok()) return manifest.value.device_name;
    return {};
}

std::string Backup::product_version() const
{
    // Info.plist is rewritten at the start of every attempt, so it is the newest claim (§2.4).
    if (info.ok() && !info.value.product_version.empty()) return info.value.product_version;
    if (manifest.ok()) return manifest.value.product_version;
    return {};
}

std::string Backup::product_type() const
{
    if (info.ok() && !info.value.product_type.empty()) return info.value.product_type;
    if (manifest.ok()) return manifest.value.product_type;
    return {};
}

BackupState Backup::state() const
{
    // First: a plist not read says nothing of the backup (prune --unrecoverable must not take it
    // for lost).
    if (!denied_plists().empty()) return BackupState::AccessDenied;
    if (!manifest.ok() || format == BackupFormat::NoIndex ||
        format == BackupFormat::LegacyUnsupported) {
        return BackupState::Unreadable;
    }
    if (!status.ok() || status.value.snapshot_state != "finished" || snapshot_dir_present) {
        return BackupState::Interrupted;
    }
    return BackupState::Complete;
}

std::vector<std::string> Backup::denied_plists() const
{
    std::vector<std::string> names;
    if (info.denied) names.push_back("Info.plist");
    if (status.denied) names.push_back("Status.plist");
    if (manifest.denied) names.push_back("Manifest.plist");
    return names;
}

bool Backup::is_link(std::string_view name) const
{
    return std::find(links.begin(), links.end(), name) != links.end();
}

std::optional<std::string> index_link(const Backup& backup)
{
    for (const char* name : {"Manifest.db", "Manifest.db-wal", "Manifest.mbdb"}) {
        if (backup.is_link(name)) return name;
    }
    return std::nullopt;
}

Result<Backup> open_backup(const FileSystem& file_system, const fs::path& dir)
{
    auto stat = file_system.stat(dir);
    if (!stat) return std::move(stat).error();
    if (stat->type != EntryType::Directory) {
        return make_error(ErrorCode::NotABackup, path_text(dir),
                          "not a folder; a backup is a folder named by the device UDID");
    }
    auto entries = file_system.list(dir);
    if (!entries) return std::move(entries).error();

    Backup backup;
    // Normalized without a trailing '/', so parent_path() is the folder holding the backup.
    backup.path = dir.lexically_normal();
    if (backup.path.filename().empty()) backup.path = backup.path.parent_path();
    backup.folder_name = path_text(backup.path.filename());
    backup.format = detect_format(*entries);
    bool has_any_plist = has_entry(*entries, "Info.plist") || has_entry(*entries, "Status.plist") ||
                         has_entry(*entries, "Manifest.plist");
    if (!has_any_plist && backup.format == BackupFormat::NoIndex) {
        return make_error(ErrorCode::NotABackup, path_text(dir),
                          "not a backup: no Info.plist, Status.plist, Manifest.plist, Manifest.db "
                          "or Manifest.mbdb");
    }
    for (const DirEntry& entry : *entries) {
        if (entry.type == EntryType::Symlink) backup.links.push_back(entry.name);
    }
    backup.info = read_part<DeviceInfo>(file_system, backup, "Info.plist", read_device_info);
    backup.status =
        read_part<SnapshotStatus>(file_system, backup, "Status.plist", read_snapshot_status);
    backup.manifest =
        read_part<ManifestInfo>(file_system, backup, "Manifest.plist", read_manifest_info);
    backup.encrypted = backup.manifest.ok() && backup.manifest.value.is_encrypted.value_or(false);
    backup.snapshot_dir_present = has_entry(*entries, "Snapshot");
    return backup;
}

}  // namespace bkcheck
