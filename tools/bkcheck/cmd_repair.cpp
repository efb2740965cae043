// bkcheck repair <dir>: verifies in full, plans the smallest repair, and with --apply carries it
// out through the quarantine and verifies again.
#include "backups_root.h"
#include "bkcheck/findings.h"
#include "in_use_output.h"
#include "interrupt.h"
#include "operation.h"
#include "password.h"
#include "shared_options.h"
#include "terminal_progress.h"
#include "verb.h"

#include "bkcheck/backup.h"
#include "bkcheck/quarantine.h"
#include "bkcheck/repair.h"
#include "bkcheck/report.h"

#include <algorithm>
#include <ostream>

namespace bkcheck::cli {
namespace {

const VerbSpec k_spec{
    "repair", "bkcheck repair [options] <dir>",
    "Repair a damaged backup so the next backup and a restore can succeed (previewed; undoable).",
    "Reads the whole backup (a full verify), then plans: rebuild Info.plist from Manifest.plist;\n"
    "move aside a Snapshot/ staging folder; salvage a damaged Manifest.db into a new one with\n"
    "Apple's schema (re-encrypted with the same key; needs the password); drop index records "
    "whose\n"
    "content is missing or damaged (a restore fails on them) and quarantine their blobs; move a\n"
    "misplaced blob to its folder; mark Status.plist finished only when everything else is proven\n"
    "sound. --force-full instead moves the index files aside so the device makes a full backup.\n"
    "Nothing changes without --apply; then every removed or replaced file goes to\n"
    ".bkcheck-quarantine/ beside the backup, the backup is verified again, and 'bkcheck undo'\n"
    "restores the original bytes. Exit 0 when the backup is (now) sound, 1 when problems remain "
    "or\n"
    "a plan awaits --apply, 6 when the backup could not be examined (encrypted, no password).\n"
    "A backup being written right now (in use: a process holds one of its files open, or its\n"
    "Snapshot/, unfinished Status.plist or Manifest.db-wal changed in the last 10 minutes) is not\n"
    "repaired: --apply stops with exit 5; --assume-finished overrides."};

}  // namespace

int run_repair(const std::vector<std::string>& args, Context& context)
{
    po::options_description options("Options");
    po::positional_options_description positional;
    options.add_options()("apply", "carry out the plan (default: only show it)")(
        "force-full", "move the index files aside so the device makes a full backup next time");
    add_json_option(options, "print the plan (and the result) as JSON");
    options.add_options()(
        "no-password",
        "plan without the password (index repairs of an encrypted backup are then left alone)");
    add_assume_finished_option(options);
    add_jobs_option(options);
    add_credential_options(options);
    add_backup_folder(options, positional);
    int exit_code = k_exit_ok;
    auto values = parse_verb_options(k_spec, options, positional, args, context, exit_code);
    if (!values) return exit_code;

    const FileSystem& file_system = real_file_system();
    auto backup = open_backup(file_system, normalized_path(backup_folder(*values)));
    if (!backup) return report_error(backup.error(), context);
    TerminalProgress terminal_progress(context.err);
    RepairOptions repair;
    share_context(repair, operation_context(*values, terminal_progress, context));
    repair.force_full = values->count("force-full") != 0;
    bool apply = values->count("apply") != 0;
    bool json_output = json_requested(*values);
    bool assume_finished = values->count("assume-finished") != 0;
    // Asked before the full read, so a refusal costs nothing: a backup being written is not
    // repaired.
    std::vector<BackupInUse> in_use;
    if (auto busy = backup_in_use(file_system, *backup, repair.now))
        in_use.emplace_back(backup->path, *busy);
    if (auto blockers = apply_blockers(in_use, assume_finished); apply && !blockers.empty()) {
        return report_error(in_use_refusal(blockers), context);
    }

    std::optional<Result<UnlockedKeys>> unlocked;
    // --force-full moves the index aside without reading it: no password is needed for that.
    if (!repair.force_full) {
        auto unlock = unlock_if_needed(*values, *backup, {true, false}, context);
        if (!unlock) return report_error(unlock.error(), context);
        if (*unlock) {
            unlocked.emplace((**unlock)());
            if (!*unlocked) return report_error(unlocked->error(), context);
            repair.keys = (*unlocked)->class_keys.get();
        }
    }

    auto assessment = plan_repair(file_system, *backup, repair);
    if (!assessment) return report_error(assessment.error(), context);
    RepairReport report;
    report.backup = backup->path;
    report.in_use = std::move(in_use);
    report.apply = apply;
    report.assume_finished = assume_finished;
    report.assessment = std::move(*assessment);
    const Plan& plan = report.assessment.plan;
    if (apply && !plan.empty()) {
        if (repair.cancelled()) {
            context.err << "bkcheck repair: interrupted before any change; nothing was changed\n";
            return k_exit_interrupted;
        }
        ApplyOptions apply_options;
        share_context(apply_options, repair);
        auto applied = apply_plan(file_system, real_writable_file_system(), plan, apply_options);
        if (!applied) return report_error(applied.error(), context);
        report.run = std::move(*applied);
        // Check again: the verdict after the repair is what counts. What the changes could not
        // have touched was read moments ago and is not read twice (recheck_repair).
        auto reopened = open_backup(file_system, backup->path);
        if (!reopened) return report_error(reopened.error(), context);
        auto again = recheck_repair(file_system, *reopened, report.assessment, repair);
        if (!again) {
            if (again.error().code == ErrorCode::Interrupted && !json_output)
                context.out << render_repair_text(report);
            return report_error(again.error(), context);
        }
        report.after = std::move(*again);
    }

    context.out << (json_output ? render_repair_json(report) : render_repair_text(report));
    const RepairAssessment& final_state = report.after ? *report.after : report.assessment;
    std::size_t errors_left = report.errors_left();
    bool unchecked = final_state.before.verdict == Verdict::Unchecked;
    bool denied = std::any_of(
        final_state.findings.begin(), final_state.findings.end(),
        [](const Finding& finding) { return finding.code == finding_code::access_denied; });
    if (!apply) return judged_exit(!plan.empty() || errors_left > 0, denied, unchecked);
    return judged_exit(errors_left > 0, denied, unchecked);
}

}  // namespace bkcheck::cli
