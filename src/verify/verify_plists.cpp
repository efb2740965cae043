// Plist-level checks of verify: presence, completion (format.md §2.2 completeness rule) and the
// cross-file identity rules of §2.4.
#include "bkcheck/findings.h"
#include "bytes.h"
#include "finding_groups.h"
#include "verify_steps.h"

#include "bkcheck/discovery.h"
#include "bkcheck/quarantine_runs.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace bkcheck::detail {
namespace {

template <typename T>
void check_part(const PlistPart<T>& part, std::string_view stem, const char* file,
                FindingSink& sink)
{
    if (part.state == PartState::Missing) {
        sink.add(make_finding(std::string(stem) + ".missing", "the file is missing", {}, {}, file));
    } else if (part.denied) {
        // Not examined, and not damage: what verify says of a blob this user may not read.
        sink.add(make_finding(finding_code::access_denied,
                              "this user may not read the file: " + part.problem, {}, {}, file));
    } else if (part.state == PartState::Unreadable) {
        sink.add(make_finding(std::string(stem) + ".unreadable",
                              "the file cannot be read: " + part.problem, {}, {}, file));
    }
}

// The keys Finder, iTunes and idevicebackup2 always write to Info.plist and read back to show and
// match a backup (format.md §2.1): an Info.plist without them (an empty dict parses fine) is
// damaged.
void check_info_keys(const DeviceInfo& info, FindingSink& sink)
{
    std::vector<std::string> missing;
    if (info.target_identifier.empty() && info.unique_identifier.empty()) {
        missing.push_back("Target Identifier/Unique Identifier (the UDID)");
    }
    if (info.device_name.empty()) missing.push_back("Device Name");
    if (info.product_type.empty()) missing.push_back("Product Type");
    if (info.product_version.empty()) missing.push_back("Product Version (the iOS version)");
    if (missing.empty()) return;
    std::string list;
    for (const std::string& key : missing) list += (list.empty() ? "" : ", ") + key;
    sink.add(make_finding(
        finding_code::info_plist_incomplete,
        "the file has no " + list +
            ": Finder and iTunes show and match a backup by these, so they may not offer it",
        {}, {}, "Info.plist"));
}

}  // namespace

void check_plists(const Backup& backup, FindingSink& sink)
{
    check_part(backup.info, "info_plist", "Info.plist", sink);
    if (backup.info.ok()) check_info_keys(backup.info.value, sink);
    check_part(backup.status, "status_plist", "Status.plist", sink);
    check_part(backup.manifest, "manifest_plist", "Manifest.plist", sink);
}

void check_completion(const Backup& backup, FindingSink& sink)
{
    if (backup.status.ok() && backup.status.value.snapshot_state != "finished") {
        std::string state = backup.status.value.snapshot_state.empty()
                                ? "nothing"
                                : "\"" + backup.status.value.snapshot_state + "\"";
        sink.add(make_finding(finding_code::status_unfinished,
                              "the last backup did not finish: Status.plist says SnapshotState " +
                                  state + ", not \"finished\"; a restore from it will be refused",
                              {}, {}, "Status.plist"));
    }
    if (backup.snapshot_dir_present) {
        sink.add(make_finding(
            finding_code::snapshot_dir_present,
            "a Snapshot folder is left over from an interrupted backup; the next backup "
            "can fail with \"Error removing snapshot directory\" (ErrorCode 104)",
            {}, {}, "Snapshot"));
    }
}

void check_identity(const Backup& backup, FindingSink& sink)
{
    std::string info_udid =
        backup.info.ok() ? to_lower_ascii(backup.info.value.target_identifier) : "";
    if (info_udid.empty() && backup.info.ok())
        info_udid = to_lower_ascii(backup.info.value.unique_identifier);
    std::string manifest_udid =
        backup.manifest.ok() ? to_lower_ascii(backup.manifest.value.udid) : "";
    if (!info_udid.empty() && !manifest_udid.empty() && info_udid != manifest_udid) {
        sink.add(make_finding(finding_code::identity_mismatch,
                              "Info.plist names device " + info_udid +
                                  " but Manifest.plist names " + manifest_udid +
                                  ": the folder mixes two devices' backups",
                              {}, {}, "Manifest.plist"));
    }
    std::string device_udid = backup.udid();
    std::string folder_udid = to_lower_ascii(parse_backup_folder_name(backup.folder_name).udid);
    if (!device_udid.empty() && folder_udid != device_udid) {
        sink.add(make_finding(finding_code::folder_name_mismatch,
                              "the folder is named \"" + backup.folder_name +
                                  "\" but the device UDID is " + device_udid +
                                  " (renamed folders restore fine)"));
    }
}

void check_unfinished_changes(const FileSystem& file_system, const Backup& backup,
                              FindingSink& sink)
{
    for (const UnfinishedRun& run : unfinished_runs(file_system, backup.path)) {
        Finding finding = make_finding(
            finding_code::change_unfinished,
            "a bkcheck " + run.verb + " run (" + run.run_id +
                ") was stopped before it finished: this backup is half-changed, and what "
                "is reported here may be its doing. Put it back first: " +
                run.undo_command(),
            {}, {}, {});
        // The quarantine is beside the backup ({root}). A run folder renamed by hand to something
        // that is not one word keeps the message's quoted command and gets no fix.
        bool one_word = !run.run_id.empty() &&
                        run.run_id.find_first_not_of(
                            "abcdefghijklmnopqrstuvwxyz"
                            "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == std::string::npos;
        if (one_word) {
            finding.fix = "undo {root} " + run.run_id;
            finding.remedy =
                "bkcheck undo {root} " + run.run_id +
                " puts back what the stopped run moved; then bkcheck verify {backup} again";
        }
        sink.add(std::move(finding));
    }
}

namespace {

void without_fix(FindingSink& sink, std::string_view code, const std::string& remedy)
{
    sink.amend(code, [&](Finding& finding) {
        finding.fix.clear();
        finding.remedy = remedy;
    });
}

}  // namespace

void settle_remedies(FindingSink& sink)
{
    std::vector<Finding> kept = sink.kept();
    // A run stopped midway explains (part of) the rest: putting it back comes before any other
    // remedy, which would otherwise act on a half-changed backup (a missing index that undo puts
    // back is no reason for --force-full).
    auto stopped = std::find_if(kept.begin(), kept.end(), [](const Finding& finding) {
        return finding.code == finding_code::change_unfinished && !finding.fix.empty();
    });
    if (stopped != kept.end()) {
        const Finding undo = *stopped;
        for (const Finding& finding : kept) {
            if (finding.code == finding_code::change_unfinished ||
                finding.severity == Severity::Info)
                continue;
            sink.amend(finding.code, [&](Finding& amended) {
                amended.remedy = "first put back the stopped bkcheck run (change.unfinished): " +
                                 undo.remedy;
                amended.fix = undo.fix;
            });
        }
        return;
    }
    // repair rebuilds Info.plist from Manifest.plist's Lockdown data: not without it.
    if (sink.count(finding_code::manifest_plist_missing) +
            sink.count(finding_code::manifest_plist_unreadable) >
        0) {
        for (std::string_view code :
             {finding_code::info_plist_missing, finding_code::info_plist_unreadable,
              finding_code::info_plist_incomplete}) {
            without_fix(sink, code,
                        "no bkcheck command can rebuild Info.plist here: repair rebuilds it from "
                        "Manifest.plist, "
                        "which is lost too; make a new backup of the device");
        }
        kept = sink.kept();
    }
    // repair marks a backup finished only once everything else verifies: beside an error no
    // command fixes, that never happens.
    bool blocked = std::any_of(kept.begin(), kept.end(), [&](const Finding& finding) {
        return finding.severity == Severity::Error && finding.fix.empty() &&
               !is_status_code(finding.code);
    });
    if (!blocked) return;
    for (std::string_view code : k_status_codes) {
        without_fix(sink, code,
                    "no bkcheck command can mark this backup finished while it has other errors "
                    "that no command "
                    "fixes: make a new backup of the device");
    }
}

}  // namespace bkcheck::detail
