// info: what the three plists say about a backup, in words and as JSON.
#include "bkcheck/discovery.h"
#include "bkcheck/report.h"
#include "device_json.h"
#include "in_use_json.h"
#include "text_format.h"

#include "bkcheck/path_text.h"
#include "bytes.h"
#include "json_writer.h"

#include <ostream>
#include <sstream>

namespace bkcheck {
namespace {

std::string state_explanation(const Backup& backup)
{
    switch (backup.state()) {
        case BackupState::Complete:
            return "complete: the last backup session finished (run 'bkcheck verify' to check "
                   "every file)";
        case BackupState::Interrupted:
            return backup.snapshot_dir_present
                       ? "interrupted: a Snapshot folder from an unfinished backup is still there"
                       : "interrupted: Status.plist does not say the last backup finished";
        case BackupState::Unreadable:
            return "unreadable: Manifest.plist or the file index is missing or damaged";
        case BackupState::AccessDenied:
            return "access denied: this user may not read some of its plists (not damage; ls -l "
                   "shows the owner)";
    }
    return "";
}

void write_info_text(const Backup& backup, const std::optional<InUse>& in_use, std::ostream& out)
{
    // Every value is printed here, so this is where the plists' strings are made safe for the
    // terminal.
    auto line = [&](const char* label, const std::string& value) {
        std::string padded = label;
        padded.resize(24, ' ');
        out << "  " << padded << terminal_safe(value) << "\n";
    };
    out << terminal_safe(path_text(backup.path)) << "\n";
    line("Device", or_unknown(backup.device_name()));
    line("Model", or_unknown(backup.product_type()));
    line("iOS", or_unknown(backup.product_version()));
    line("UDID", or_unknown(backup.udid()));
    if (!backup.udid().empty() &&
        to_lower_ascii(parse_backup_folder_name(backup.folder_name).udid) != backup.udid()) {
        line("Folder name",
             backup.folder_name + " (differs from the UDID: the folder was renamed)");
    }
    line("Index", backup.format == BackupFormat::ManifestDb     ? "Manifest.db (iOS 10 or later)"
                  : backup.format == BackupFormat::ManifestMbdb ? "Manifest.mbdb (iOS 5 to 9)"
                  : backup.format == BackupFormat::LegacyUnsupported
                      ? "iOS 4 or older (not supported)"
                      : "missing");
    line("Encrypted",
         backup.manifest.ok() ? yes_no(backup.manifest.value.is_encrypted) : "unknown");
    line("State", state_explanation(backup));
    if (in_use) out << "  " << in_use_text(*in_use) << "\n";
    if (backup.info.ok()) {
        const DeviceInfo& info = backup.info.value;
        out << "Info.plist (written by the computer when a backup starts)\n";
        line("Last backup started", human_time(info.last_backup_date));
        line("Device name", or_unknown(info.device_name));
        if (!info.product_name.empty()) line("Product name", info.product_name);
        line("Build", or_unknown(info.build_version));
        line("Serial number", or_unknown(info.serial_number));
        if (!info.phone_number.empty()) line("Phone number", info.phone_number);
        if (!info.imei.empty()) line("IMEI", info.imei);
        if (!info.meid.empty()) line("MEID", info.meid);
        if (!info.iccid.empty()) line("ICCID", info.iccid);
        line("Installed apps", std::to_string(info.installed_application_count));
        line("Written by iTunes", or_unknown(info.itunes_version));
        line("Stored as", backup.info.binary ? "binary plist" : "XML plist");
    }
    if (backup.status.ok()) {
        const SnapshotStatus& status = backup.status.value;
        out << "Status.plist (written by the device)\n";
        line("Snapshot state",
             or_unknown(status.snapshot_state) + (status.snapshot_state == "finished"
                                                      ? " (the last session completed)"
                                                      : " (the last session did not complete)"));
        line("Full backup", yes_no(status.is_full_backup));
        line("Status date", human_time(status.date));
        line("Backup state", or_unknown(status.backup_state));
        line("Version", or_unknown(status.version));
    }
    if (backup.manifest.ok()) {
        const ManifestInfo& manifest = backup.manifest.value;
        out << "Manifest.plist (written by the device when a backup succeeds)\n";
        line("Date", human_time(manifest.date));
        line("iOS at that backup", or_unknown(manifest.product_version));
        line("Build", or_unknown(manifest.build_version));
        line("Passcode was set", yes_no(manifest.was_passcode_set));
        line("Encryption keybag",
             manifest.keybag.empty() ? "none" : std::to_string(manifest.keybag.size()) + " bytes");
        if (!manifest.manifest_key.empty())
            line("Index encrypted", "yes (ManifestKey present, iOS 10.2 or later)");
        line("Apps in backup", std::to_string(manifest.application_count));
        line("Manifest version", or_unknown(manifest.version));
    }
}

template <typename T>
void json_part_header(JsonWriter& json, const char* key, const PlistPart<T>& part)
{
    json.key(key).begin_object().key("state").string(part.state == PartState::Ok        ? "ok"
                                                     : part.state == PartState::Missing ? "missing"
                                                     : part.denied ? "access denied"
                                                                   : "unreadable");
    if (!part.ok()) json.key("problem").string(part.problem);
    if (part.ok()) json.key("binary").boolean(part.binary);
}

void write_info_json(const Backup& backup, const std::optional<InUse>& in_use, std::ostream& out)
{
    JsonWriter json;
    json.begin_object()
        .key("schema_version")
        .unsigned_number(1)
        .key("path")
        .string(path_text(backup.path))
        .key("folder_name")
        .string(backup.folder_name);
    write_device_json(json, backup);
    json.key("format")
        .string(backup_format_name(backup.format))
        .key("encrypted")
        .boolean(backup.encrypted)
        .key("state")
        .string(backup_state_name(backup.state()))
        .key("snapshot_dir_present")
        .boolean(backup.snapshot_dir_present);
    write_in_use_json(json, in_use);
    json_part_header(json, "info_plist", backup.info);
    if (backup.info.ok()) {
        const DeviceInfo& info = backup.info.value;
        json.key("device_name")
            .string_or_null(info.device_name)
            .key("display_name")
            .string_or_null(info.display_name)
            .key("product_type")
            .string_or_null(info.product_type)
            .key("product_name")
            .string_or_null(info.product_name)
            .key("product_version")
            .string_or_null(info.product_version)
            .key("build_version")
            .string_or_null(info.build_version)
            .key("serial_number")
            .string_or_null(info.serial_number)
            .key("target_identifier")
            .string_or_null(info.target_identifier)
            .key("unique_identifier")
            .string_or_null(info.unique_identifier)
            .key("guid")
            .string_or_null(info.guid)
            .key("imei")
            .string_or_null(info.imei)
            .key("meid")
            .string_or_null(info.meid)
            .key("iccid")
            .string_or_null(info.iccid)
            .key("phone_number")
            .string_or_null(info.phone_number)
            .key("itunes_version")
            .string_or_null(info.itunes_version)
            .key("last_backup_date")
            .time_or_null(info.last_backup_date)
            .key("installed_applications")
            .unsigned_number(info.installed_application_count);
    }
    json.end_object();
    json_part_header(json, "status_plist", backup.status);
    if (backup.status.ok()) {
        const SnapshotStatus& status = backup.status.value;
        json.key("snapshot_state")
            .string_or_null(status.snapshot_state)
            .key("backup_state")
            .string_or_null(status.backup_state)
            .key("version")
            .string_or_null(status.version)
            .key("uuid")
            .string_or_null(status.uuid)
            .key("date")
            .time_or_null(status.date);
        json.key("is_full_backup");
        status.is_full_backup ? json.boolean(*status.is_full_backup) : json.null();
    }
    json.end_object();
    json_part_header(json, "manifest_plist", backup.manifest);
    if (backup.manifest.ok()) {
        const ManifestInfo& manifest = backup.manifest.value;
        json.key("udid")
            .string_or_null(manifest.udid)
            .key("serial_number")
            .string_or_null(manifest.serial_number)
            .key("product_type")
            .string_or_null(manifest.product_type)
            .key("product_version")
            .string_or_null(manifest.product_version)
            .key("build_version")
            .string_or_null(manifest.build_version)
            .key("device_name")
            .string_or_null(manifest.device_name)
            .key("version")
            .string_or_null(manifest.version)
            .key("system_domains_version")
            .string_or_null(manifest.system_domains_version)
            .key("date")
            .time_or_null(manifest.date)
            .key("keybag_bytes")
            .unsigned_number(manifest.keybag.size())
            .key("has_manifest_key")
            .boolean(!manifest.manifest_key.empty())
            .key("applications")
            .unsigned_number(manifest.application_count);
        json.key("is_encrypted");
        manifest.is_encrypted ? json.boolean(*manifest.is_encrypted) : json.null();
        json.key("was_passcode_set");
        manifest.was_passcode_set ? json.boolean(*manifest.was_passcode_set) : json.null();
    }
    json.end_object().end_object();
    out << json.str();
}

}  // namespace

std::string render_info_text(const Backup& backup, const std::optional<InUse>& in_use)
{
    std::ostringstream out;
    write_info_text(backup, in_use, out);
    return out.str();
}

std::string render_info_json(const Backup& backup, const std::optional<InUse>& in_use)
{
    std::ostringstream out;
    write_info_json(backup, in_use, out);
    return out.str();
}

}  // namespace bkcheck
