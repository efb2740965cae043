#include "bkcheck/prune.h"
#include "bkcheck/findings.h"

#include "bkcheck/discovery.h"
#include "bkcheck/path_text.h"
#include "bkcheck/status.h"
#include "bkcheck/verifier.h"
#include "bytes.h"
#include "retention.h"

#include <algorithm>
#include <deque>
#include <limits>
#include <map>
#include <set>

namespace bkcheck {
namespace {

// Findings that mean the index was not fully read, so a blob no record names may still be needed.
constexpr std::string_view k_index_incomplete[] = {
    finding_code::manifest_missing,         finding_code::manifest_unreadable,
    finding_code::manifest_encrypted,       finding_code::access_denied,
    finding_code::manifest_empty,           finding_code::manifest_key_unwrap_failed,
    finding_code::record_unreadable,        finding_code::manifest_plist_missing,
    finding_code::manifest_plist_unreadable};

// Whether `relative` (a blob or blob folder inside the backup) is, or is reached through, a
// symlink: a linked blob folder may be another backup's, and prune moves nothing out of it.
bool through_link(const FileSystem& file_system, const Backup& backup, const fs::path& relative)
{
    fs::path prefix;
    for (const fs::path& part : relative) {
        prefix /= part;
        if (file_system.read_link(backup.path / prefix)) return true;
    }
    return false;
}

// One verify per backup, structural (as `bkcheck verify` without --read-data): its verdict is the
// backup's health for retention, and its findings name the orphans.
struct Verified {
    std::optional<Result<VerifyResult>> result;
    FindingSink sink{std::numeric_limits<std::size_t>::max()};
};

void verify_structure(const FileSystem& file_system, const Backup& backup,
                      const PruneOptions& options, Verified& verified)
{
    VerifyOptions verify;
    static_cast<OperationContext&>(verify) = options;  // prune's threads, progress and Ctrl-C
    if (backup.encrypted && options.unlock) verify.unlock = [&] { return options.unlock(backup); };
    verified.result.emplace(verify_backup(file_system, backup, verify, verified.sink));
}

// A blob folder (iOS 10+) that holds nothing but the orphans removed is moved aside whole, in
// place of its blobs: moving them one by one would leave it empty, and the next prune would plan
// it as an empty folder (trial: a second run was needed). Apple's backups have only the blob
// folders in use (format.md §1), so an empty one is no part of a backup.
void move_emptied_folders(const FileSystem& file_system, const fs::path& root, Action& action)
{
    std::map<fs::path, std::set<std::string>> removed;  // blob folder -> names of its orphans
    for (const Change& change : action.changes) {
        fs::path folder = change.path.parent_path();
        if (is_blob_folder_name(path_text(folder.filename())) &&
            folder.parent_path().has_filename() && !folder.parent_path().has_parent_path()) {
            removed[folder].insert(path_text(change.path.filename()));
        }
    }
    for (const auto& entry : removed) {
        // Named, not bound: C++17 lambdas cannot capture structured bindings (clang refuses).
        const fs::path& folder = entry.first;
        const std::set<std::string>& names = entry.second;
        auto entries = file_system.list(root / folder);
        if (!entries || entries->size() != names.size()) continue;
        bool only_orphans = std::all_of(entries->begin(), entries->end(), [&](const DirEntry& e) {
            return names.count(e.name) != 0;
        });
        if (!only_orphans) continue;
        auto inside = [&](const Change& change) { return change.path.parent_path() == folder; };
        action.changes.erase(std::remove_if(action.changes.begin(), action.changes.end(), inside),
                             action.changes.end());
        action.changes.push_back({ChangeKind::Remove, folder, {}, {}});
    }
}

void plan_orphans(const FileSystem& file_system, const fs::path& root, const Backup& backup,
                  const Verified& verified, Plan& plan)
{
    const FindingSink& sink = verified.sink;
    const Result<VerifyResult>& result = *verified.result;
    if (!result) {
        plan.left_alone.push_back(backup.folder_name +
                                  ": orphans not looked for: " + result.error().describe());
        return;
    }
    for (std::string_view code : k_index_incomplete) {
        if (sink.count(code) > 0) {
            bool denied = code == finding_code::access_denied;
            plan.access_denied = plan.access_denied || denied;
            plan.left_alone.push_back(
                backup.folder_name + ": no blob is called an orphan: " +
                (denied ? std::string("this user may not read all of it (access.denied); run "
                                      "bkcheck as a user who may read the backup")
                        : "the index could not be read in full (" + std::string(code) + "); " +
                              (code == finding_code::manifest_encrypted
                                   ? "give the backup's password to look for orphans "
                                     "(--password-file FILE, "
                                     "the BKCHECK_PASSWORD variable or --key-file FILE; prune "
                                     "never prompts)"
                                   : "run bkcheck verify for details")));
            return;
        }
    }
    Action action;
    action.kind = "remove_orphan_blobs";
    action.subject = backup.folder_name;
    action.reason = "content no index entry refers to: no restore can use it";
    for (const Finding& finding : sink.kept()) {
        if (finding.code == finding_code::orphan_entry) {
            plan.left_alone.push_back(
                backup.folder_name + "/" + finding.path +
                ": not part of a backup's layout, but not known to be a leftover either");
        }
        if (finding.code == finding_code::blob_link) {
            plan.left_alone.push_back(
                backup.folder_name + "/" + finding.path +
                ": a symbolic link (blob.link); prune touches neither it nor what it leads to");
        }
        if (finding.code != finding_code::orphan_blob) continue;
        // Verify lists no linked folder and no linked blob, but the disk may have changed since.
        if (through_link(file_system, backup, finding.path)) {
            plan.left_alone.push_back(backup.folder_name + "/" + finding.path +
                                      ": not moved: it is, or is in, a symbolic link (blob.link)");
            continue;
        }
        fs::path relative = fs::path(backup.folder_name) / finding.path;
        action.bytes += size_on_disk(file_system, root / relative);
        action.details.push_back(finding.path);
        action.changes.push_back({ChangeKind::Remove, relative, {}, {}});
    }
    move_emptied_folders(file_system, root, action);
    if (!action.changes.empty()) plan.actions.push_back(std::move(action));
}

void plan_leftovers(const FileSystem& file_system, const fs::path& root, const Backup& backup,
                    Plan& plan)
{
    fs::path folder(backup.folder_name);
    if (backup.snapshot_dir_present) {
        plan.actions.push_back(
            {"remove_snapshot_dir",
             path_text(folder / "Snapshot"),
             "staging folder of a backup that did not finish; while it is there later backups "
             "fail with ErrorCode 104",
             size_on_disk(file_system, root / folder / "Snapshot"),
             {},
             {{ChangeKind::Remove, folder / "Snapshot", {}, {}}}});
    }
    if (file_system.exists(backup.path / "Manifest.db-shm")) {
        plan.actions.push_back(
            {"remove_stale_shm",
             path_text(folder / "Manifest.db-shm"),
             "SQLite's shared-memory index of the -wal, stale once no backup is running (--apply "
             "refuses while one is) "
             "(SQLite rebuilds it when needed; the -wal itself is kept: it may hold index rows)",
             size_on_disk(file_system, backup.path / "Manifest.db-shm"),
             {},
             {{ChangeKind::Remove, folder / "Manifest.db-shm", {}, {}}}});
    }
    auto entries = file_system.list(backup.path);
    if (!entries) return;
    Action empty;
    empty.kind = "remove_empty_folders";
    empty.subject = backup.folder_name;
    empty.reason = "empty blob folders (the next backup creates those it needs)";
    for (const DirEntry& entry : *entries) {
        // A linked blob folder (blob.link) is no empty folder, whatever is behind it: the listing
        // does not follow links, and read_link asks again in case the disk changed since.
        if (entry.type != EntryType::Directory || !is_blob_folder_name(entry.name)) continue;
        if (through_link(file_system, backup, entry.name)) continue;
        auto inside = file_system.list(backup.path / entry.name);
        if (!inside || !inside->empty()) continue;
        empty.details.push_back(entry.name);
        empty.changes.push_back({ChangeKind::Remove, folder / entry.name, {}, {}});
    }
    if (!empty.changes.empty()) plan.actions.push_back(std::move(empty));
}

Action remove_backup(const FileSystem& file_system, const Backup& backup, std::string reason)
{
    return {"remove_backup",
            backup.folder_name,
            std::move(reason),
            size_on_disk(file_system, backup.path),
            {},
            {{ChangeKind::Remove, fs::path(backup.folder_name), {}, {}}}};
}

// Whole backups to remove, by folder name, with the reason; and, for a device with more than one
// backup, why each one kept stays (retention.h has the rule).
std::map<std::string, std::string> plan_retention(const FileSystem& file_system,
                                                  const std::vector<Backup>& backups,
                                                  const std::deque<Verified>& verified,
                                                  const PruneOptions& options, Plan& plan)
{
    std::map<std::string, std::string> doomed;
    if (options.unrecoverable) {
        for (const Backup& backup : backups) {
            if (backup.state() == BackupState::Unreadable) {
                doomed.emplace(backup.folder_name,
                               "nothing can be restored from it: its Manifest.plist or index is "
                               "missing or unreadable");
            }
        }
    }
    if (!options.keep_last && !options.older_than_days) return doomed;
    std::vector<RetentionCandidate> candidates;
    for (std::size_t i = 0; i < backups.size(); ++i) {
        BackupHealth health = health_from_verify(*verified[i].result, verified[i].sink);
        if (auto busy = backup_in_use(file_system, backups[i], options.now))
            health = health_while_in_use(*busy);
        candidates.push_back({&backups[i], std::move(health)});
    }
    for (const DeviceRetention& device :
         decide_retention(candidates, {options.keep_last, options.older_than_days, options.now})) {
        for (const RetentionDecision& decision : device.backups) {
            if (!decision.keep) {
                doomed.emplace(decision.backup->folder_name, decision.reason);
            } else if (device.backups.size() > 1 &&
                       doomed.count(decision.backup->folder_name) == 0) {
                plan.left_alone.push_back(decision.backup->folder_name + ": " + decision.reason);
            }
        }
    }
    return doomed;
}

}  // namespace

std::optional<std::int64_t> backup_date(const Backup& backup)
{
    if (backup.status.ok() && backup.status.value.date) return backup.status.value.date;
    if (backup.manifest.ok() && backup.manifest.value.date) return backup.manifest.value.date;
    if (backup.info.ok()) return backup.info.value.last_backup_date;
    return std::nullopt;
}

Result<Plan> plan_prune(const FileSystem& file_system, const fs::path& root,
                        const std::vector<Backup>& backups, const PruneOptions& options)
{
    Plan plan;
    plan.root = root;
    plan.verb = "prune";
    for (const Backup& backup : backups) {
        if (backup.path.parent_path() != root) {
            return make_error(ErrorCode::InvalidArgument, path_text(backup.path),
                              "not in " + path_text(root));
        }
    }
    std::deque<Verified> verified(backups.size());  // a deque: a FindingSink does not move
    for (std::size_t i = 0; i < backups.size(); ++i) {
        verify_structure(file_system, backups[i], options, verified[i]);
        // A verify cut short by Ctrl-C found nothing reliable: no plan rests on it.
        bool interrupted =
            !*verified[i].result && verified[i].result->error().code == ErrorCode::Interrupted;
        if (interrupted || (options.cancel != nullptr && options.cancel->load())) {
            return make_error(ErrorCode::Interrupted, path_text(root),
                              "prune was interrupted while planning; nothing was changed");
        }
    }
    auto doomed = plan_retention(file_system, backups, verified, options, plan);
    for (std::size_t i = 0; i < backups.size(); ++i) {
        const Backup& backup = backups[i];
        if (auto reason = doomed.find(backup.folder_name); reason != doomed.end()) {
            plan.actions.push_back(remove_backup(file_system, backup, reason->second));
            continue;
        }
        plan_leftovers(file_system, root, backup, plan);
        plan_orphans(file_system, root, backup, verified[i], plan);
    }
    plan.unwritable = unwritable_folders(file_system, plan);
    return plan;
}

}  // namespace bkcheck
