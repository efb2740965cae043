// Plist-level checks of verify: presence, completion (format.md §2.2 completeness rule) and the
// cross-file identity rules of §2.4.
#include "verify_steps.h"

#include "bkcheck/discovery.h"

#include <algorithm>
#include <cctype>

namespace bkcheck::detail {
namespace {

template <typename T>
void check_part(const PlistPart<T>& part, std::string_view stem, const char* file, FindingSink& sink)
{
    if (part.state == PartState::Missing) {
        sink.add(make_finding(std::string(stem) + ".missing", "the file is missing", {}, {}, file));
    } else if (part.state == PartState::Unreadable) {
        sink.add(make_finding(std::string(stem) + ".unreadable",
                              "the file cannot be read: " + part.problem, {}, {}, file));
    }
}

}  // namespace

void check_plists(const Backup& backup, FindingSink& sink)
{
    check_part(backup.info, "info_plist", "Info.plist", sink);
    check_part(backup.status, "status_plist", "Status.plist", sink);
    check_part(backup.manifest, "manifest_plist", "Manifest.plist", sink);
}

void check_completion(const Backup& backup, FindingSink& sink)
{
    if (backup.status.ok() && backup.status.value.snapshot_state != "finished") {
        std::string state = backup.status.value.snapshot_state.empty() ? "nothing" : "\"" + backup.status.value.snapshot_state + "\"";
        sink.add(make_finding("status.unfinished",
                              "the last backup did not finish: Status.plist says SnapshotState " + state +
                                  ", not \"finished\"; a restore from it will be refused",
                              {}, {}, "Status.plist"));
    }
    if (backup.snapshot_dir_present) {
        sink.add(make_finding("snapshot_dir.present",
                              "a Snapshot folder is left over from an interrupted backup; the next backup "
                              "can fail with \"Error removing snapshot directory\" (ErrorCode 104)",
                              {}, {}, "Snapshot"));
    }
}

void check_identity(const Backup& backup, FindingSink& sink)
{
    std::string info_udid = backup.info.ok() ? to_lower_ascii(backup.info.value.target_identifier) : "";
    if (info_udid.empty() && backup.info.ok()) info_udid = to_lower_ascii(backup.info.value.unique_identifier);
    std::string manifest_udid = backup.manifest.ok() ? to_lower_ascii(backup.manifest.value.udid) : "";
    if (!info_udid.empty() && !manifest_udid.empty() && info_udid != manifest_udid) {
        sink.add(make_finding("identity.mismatch",
                              "Info.plist names device " + info_udid + " but Manifest.plist names " + manifest_udid +
                                  ": the folder mixes two devices' backups",
                              {}, {}, "Manifest.plist"));
    }
    std::string device_udid = backup.udid();
    std::string folder_udid = to_lower_ascii(parse_backup_folder_name(backup.folder_name).udid);
    if (!device_udid.empty() && folder_udid != device_udid) {
        sink.add(make_finding("folder.name_mismatch",
                              "the folder is named \"" + backup.folder_name + "\" but the device UDID is " +
                                  device_udid + " (renamed folders restore fine)"));
    }
}

}  // namespace bkcheck::detail
