// bkcheck prune <path>...: plans (and with --apply carries out) the removal of what no restore
// needs.
#include "backups_root.h"
#include "in_use_output.h"
#include "operation.h"
#include "password.h"
#include "shared_options.h"
#include "terminal_progress.h"
#include "verb.h"

#include "bkcheck/backup.h"
#include "bkcheck/prune.h"
#include "bkcheck/report.h"

#include <map>
#include <ostream>

namespace bkcheck::cli {
namespace {

const VerbSpec k_spec{
    "prune", "bkcheck prune [options] <backup or folder of backups>...",
    "Move aside what no restore needs: orphan blobs, leftovers of interrupted backups, old "
    "backups.",
    "Always: orphan blobs (content no index entry refers to), a Snapshot/ staging folder left by "
    "an\n"
    "interrupted backup (later backups fail with ErrorCode 104 while it is there), empty blob "
    "folders,\n"
    "a stale Manifest.db-shm. Only when asked: whole backups beyond --keep-last N per device, "
    "older\n"
    "than --older-than DAYS (never a device's newest), or --unrecoverable ones. Only backups a\n"
    "structural verify calls ok count toward N; one damaged or not checkable is kept when newer "
    "than\n"
    "the N-th sound one; a device's newest sound backup always stays. Prints the plan and changes\n"
    "nothing without --apply; with it, everything goes to .bkcheck-quarantine/ beside the\n"
    "backups, 'bkcheck undo' puts it back and 'bkcheck purge' frees the space. Exit 0 when there\n"
    "is nothing to do or it was done, 1 when a plan awaits --apply, 5 when part of a backup could\n"
    "not be read by this user (access.denied: nothing of it is removed). Orphans of an encrypted\n"
    "iOS 10+ backup are only looked for with its password (--password-file, BKCHECK_PASSWORD or\n"
    "--key-file): without it the index cannot be read, and nothing is called an orphan.\n"
    "A backup being written right now (in use: a process holds one of its files open, or its\n"
    "Snapshot/, unfinished Status.plist or Manifest.db-wal changed in the last 10 minutes) is not\n"
    "changed: --apply stops with exit 5 when the plan would touch it; --assume-finished "
    "overrides."};

}  // namespace

int run_prune(const std::vector<std::string>& args, Context& context)
{
    po::options_description options("Options");
    po::positional_options_description positional;
    options.add_options()("apply", "carry out the plan (default: only show it)");
    add_json_option(options, "print the plan (and the run) as JSON");
    options.add_options()("keep-last", number_in_range("keep-last", 1, 1000000),
                          "also remove all but the N newest sound backups of each device")(
        "older-than", number_in_range("older-than", 0, k_max_days),
        "also remove backups older than DAYS (never a device's newest)")(
        "unrecoverable",
        "also remove backups whose Manifest.plist or index is missing or unreadable");
    add_assume_finished_option(options);
    add_jobs_option(options);
    add_credential_options(options);
    add_backup_roots(options, positional, true);
    int exit_code = k_exit_ok;
    auto values = parse_verb_options(k_spec, options, positional, args, context, exit_code);
    if (!values) return exit_code;

    TerminalProgress terminal_progress(context.err);
    PruneOptions prune;
    share_context(prune, operation_context(*values, terminal_progress, context));
    if (values->count("keep-last"))
        prune.keep_last = static_cast<unsigned>((*values)["keep-last"].as<long long>());
    if (values->count("older-than"))
        prune.older_than_days = static_cast<unsigned>((*values)["older-than"].as<long long>());
    prune.unrecoverable = values->count("unrecoverable") != 0;
    // Never prompts: a password is used only when named, and a wrong one leaves that backup's
    // orphans alone (the plan says so) rather than stopping the prune of the others.
    UnlockedBackups unlocked;  // alive while the plans are made
    auto unlocker = unlocker_for_each_backup(*values, context, unlocked);
    if (!unlocker) return report_error(unlocker.error(), context);
    prune.unlock = std::move(*unlocker);
    bool apply = values->count("apply") != 0;
    bool json_output = json_requested(*values);
    bool assume_finished = values->count("assume-finished") != 0;

    const FileSystem& file_system = real_file_system();
    std::map<fs::path, std::vector<Backup>> by_root;
    std::map<fs::path, InUse> in_use;  // by backup folder
    for (const std::string& typed : backup_roots(*values)) {
        auto found = backups_in_named_root(file_system, normalized_path(typed));
        if (!found) return report_error(found.error(), context);
        for (const fs::path& path : *found) {
            auto backup = open_backup(file_system, path);
            if (!backup) return report_error(backup.error(), context);
            if (auto busy = backup_in_use(file_system, *backup, prune.now))
                in_use.emplace(backup->path, *busy);
            by_root[backup->path.parent_path()].push_back(std::move(*backup));
        }
    }

    // Every plan is made, and checked against the backups in use, before any is carried out: a
    // refusal leaves all of them untouched.
    std::vector<PrunedRoot> plans;
    std::vector<BackupInUse> refused;
    for (const auto& [root, backups] : by_root) {
        auto plan = plan_prune(file_system, root, backups, prune);
        if (!plan) return report_error(plan.error(), context);
        PrunedRoot planned{std::move(*plan), {}, std::nullopt};
        for (const Backup& backup : backups) {
            auto busy = in_use.find(backup.path);
            if (busy != in_use.end() && planned.plan.changes_folder(backup.path.filename())) {
                planned.in_use.emplace_back(backup.path, busy->second);
            }
        }
        refused.insert(refused.end(), planned.in_use.begin(), planned.in_use.end());
        plans.push_back(std::move(planned));
    }
    if (auto blockers = apply_blockers(refused, assume_finished); apply && !blockers.empty()) {
        return report_error(in_use_refusal(blockers), context);
    }

    bool pending = false;
    bool denied = false;
    for (PrunedRoot& planned : plans) {
        const Plan& plan = planned.plan;
        if (apply && !plan.empty()) {
            ApplyOptions apply_options;
            share_context(apply_options, prune);
            auto applied =
                apply_plan(file_system, real_writable_file_system(), plan, apply_options);
            if (!applied) return report_error(applied.error(), context);
            planned.run = std::move(*applied);
        }
        pending = pending || (!apply && !plan.empty());
        denied = denied || plan.access_denied;
        if (!json_output) context.out << render_prune_root_text(planned, apply, assume_finished);
    }
    if (json_output) context.out << render_prune_json(plans, assume_finished);
    // A plan awaiting --apply first; then what this user may not read, which the plan could not
    // weigh.
    return pending ? k_exit_problems : denied ? k_exit_io : k_exit_ok;
}

}  // namespace bkcheck::cli
