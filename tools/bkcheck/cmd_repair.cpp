// bkcheck repair <dir>: verifies in full, plans the smallest repair, and with --apply carries it
// out through the quarantine and verifies again.
#include "backups_root.h"
#include "bkcheck/findings.h"
#include "in_use_json.h"
#include "in_use_output.h"
#include "interrupt.h"
#include "password.h"
#include "plan_output.h"
#include "terminal_progress.h"
#include "text.h"
#include "verb.h"

#include "bkcheck/backup.h"
#include "bkcheck/quarantine.h"
#include "bkcheck/repair.h"
#include "bkcheck/report.h"

#include <algorithm>
#include <map>
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

// Problems found, one line per code: "blob.missing ×3".
std::string findings_summary(const std::vector<Finding>& findings)
{
    std::map<std::string, std::size_t> errors;
    for (const Finding& finding : findings) {
        if (finding.severity == Severity::Error) ++errors[finding.code];
    }
    if (errors.empty()) return "Verify found no errors.\n";
    std::string out = "Verify found:";
    for (const auto& [code, count] : errors) out += " " + code + " (" + std::to_string(count) + ")";
    return out + "\n";
}

}  // namespace

int run_repair(const std::vector<std::string>& args, Context& context)
{
    po::options_description options("Options");
    options.add_options()("apply", "carry out the plan (default: only show it)")(
        "force-full", "move the index files aside so the device makes a full backup next time")(
        "json", "print the plan (and the result) as JSON")(
        "no-password",
        "plan without the password (index repairs of an encrypted backup are then left alone)")(
        "dir", po::value<std::string>()->required(), "the backup folder (positional)");
    add_assume_finished_option(options);
    add_jobs_option(options);
    add_credential_options(options);
    po::positional_options_description positional;
    positional.add("dir", 1);
    int exit_code = k_exit_ok;
    auto values = parse_verb_options(k_spec, options, positional, args, context, exit_code);
    if (!values) return exit_code;

    const FileSystem& file_system = real_file_system();
    auto backup = open_backup(file_system, normalized_path((*values)["dir"].as<std::string>()));
    if (!backup) return report_error(backup.error(), context);
    RepairOptions repair;
    repair.now = now_seconds();
    repair.threads = jobs_from(*values);
    repair.force_full = values->count("force-full") != 0;
    repair.cancel = &interrupt_flag();
    bool apply = values->count("apply") != 0;
    bool json_output = values->count("json") != 0;
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
    if (backup->encrypted && !repair.force_full && !values->count("no-password") &&
        (credentials_given(*values) || context.err_is_terminal)) {
        auto unlock = prepare_unlock(*values, *backup, context);
        if (!unlock) return report_error(unlock.error(), context);
        unlocked.emplace((*unlock)());
        if (!*unlocked) return report_error(unlocked->error(), context);
        repair.keys = (*unlocked)->class_keys.get();
    }

    TerminalProgress terminal_progress(context.err);
    repair.progress = &chosen_progress(terminal_progress, context.err_is_terminal, json_output);
    auto assessment = plan_repair(file_system, *backup, repair);
    if (!assessment) return report_error(assessment.error(), context);
    const Plan& plan = assessment->plan;
    std::optional<RunJournal> run;
    std::optional<RepairAssessment> after;
    if (apply && !plan.empty()) {
        if (interrupt_flag()) {
            context.err << "bkcheck repair: interrupted before any change; nothing was changed\n";
            return k_exit_interrupted;
        }
        ApplyOptions apply_options;
        apply_options.now = repair.now;
        apply_options.cancel = &interrupt_flag();
        auto applied = apply_plan(file_system, real_writable_file_system(), plan, apply_options);
        if (!applied) return report_error(applied.error(), context);
        run = std::move(*applied);
        // Verify again, as a user would: the verdict after the repair is what counts.
        auto reopened = open_backup(file_system, backup->path);
        if (!reopened) return report_error(reopened.error(), context);
        RepairOptions check = repair;
        check.force_full = false;
        auto again = plan_repair(file_system, *reopened, check);
        if (!again && again.error().code == ErrorCode::Interrupted && !json_output) {
            // The repair is done and journaled; only the check after it was cut short.
            context.out << render_applied(plan, *run) << "The check after the repair was "
                        << "interrupted: run bkcheck verify --read-data "
                        << shell_quote(backup->path) << "\n";
        }
        if (!again) return report_error(again.error(), context);
        after = std::move(*again);
    }

    const RepairAssessment& final_state = after ? *after : *assessment;
    std::size_t errors_left = 0;
    for (const Finding& finding : final_state.findings)
        errors_left += finding.severity == Severity::Error;
    if (json_output) {
        JsonWriter json;
        json.begin_object().key("backup").string(backup->path.string());
        json.key("verdict_before").string(verdict_name(assessment->before.verdict));
        write_plan_json(json, plan);
        json.key("run").string_or_null(run ? run->id : "");
        json.key("verdict_after").string_or_null(after ? verdict_name(after->before.verdict) : "");
        json.key("errors_left").unsigned_number(errors_left);
        write_in_use_json(
            json, in_use.empty() ? std::nullopt : std::optional<InUse>(in_use.front().second));
        json.key("assume_finished").boolean(assume_finished);
        context.out << json.end_object().str() << "\n";
    } else {
        context.out << "Backup " << terminal_safe(backup->path.string()) << "\n"
                    << findings_summary(assessment->findings);
        // Not examined (an encrypted index without the password) is never "nothing to repair", even
        // beside a finding of the plists (an unfinished session) that repair cannot act on alone.
        auto count_code = [&](std::string_view code) {
            return std::count_if(assessment->findings.begin(), assessment->findings.end(),
                                 [&](const Finding& finding) { return finding.code == code; });
        };
        bool index_unread = count_code(finding_code::manifest_encrypted) > 0;
        if (plan.empty() && (assessment->before.verdict == Verdict::Unchecked || index_unread)) {
            const VerifyCounts& counts = assessment->before.counts;
            std::size_t denied = count_code(finding_code::access_denied);
            context.out << "Not examined: ";
            if (denied > 0) {
                context.out << count_of(denied, "file", "files")
                            << " this user may not read (access.denied): not damage, so nothing is "
                               "dropped or moved "
                               "for them; run bkcheck as a user who may read the backup.\n";
            } else if (!counts.index_examined) {
                context.out << "the index could not be read (encrypted, no password), so nothing "
                               "can be said about "
                               "what needs repair; give the password (--password-file, "
                               "BKCHECK_PASSWORD, --key-file).\n";
            } else {
                context.out << count_of(counts.levels.not_checked, "file", "files")
                            << " could not be looked at (see the findings above), so nothing is "
                               "repaired for them.\n";
            }
        } else {
            context.out << render_plan_text(plan, apply);
        }
        context.out << render_in_use_notice(in_use, apply, assume_finished);
        if (run) {
            context.out << render_applied(plan, *run)
                        << "After the repair, verify says: " << verdict_name(after->before.verdict)
                        << ". " << findings_summary(after->findings);
        }
    }
    bool unchecked = final_state.before.verdict == Verdict::Unchecked;
    bool denied = std::any_of(
        final_state.findings.begin(), final_state.findings.end(),
        [](const Finding& finding) { return finding.code == finding_code::access_denied; });
    if (!apply) return judged_exit(!plan.empty() || errors_left > 0, denied, unchecked);
    return judged_exit(errors_left > 0, denied, unchecked);
}

}  // namespace bkcheck::cli
