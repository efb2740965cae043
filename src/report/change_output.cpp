// prune and repair: a plan (before --apply), a finished run, the backups in use, in words and
// as JSON.
#include "bkcheck/report.h"
#include "in_use_guard.h"
#include "in_use_json.h"
#include "text_format.h"

#include "bkcheck/path_text.h"
#include "json_writer.h"

#include <algorithm>
#include <map>
#include <sstream>

namespace bkcheck {
namespace {

constexpr std::size_t k_details_shown = 10;

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

std::string render_plan_text(const Plan& plan, bool applying)
{
    std::string out;
    if (plan.actions.empty()) {
        out += "Nothing to " + plan.verb + ".\n";
    } else {
        out += std::string(applying ? "Changes" : "Plan") + " (" +
               count_of(plan.actions.size(), "action", "actions") + ", " +
               human_bytes(plan.bytes()) + " to quarantine):\n";
    }
    // Subjects, reasons and details name the backup's folders and files: each through
    // terminal_safe.
    for (const Action& action : plan.actions) {
        out += "  " + action.kind + "  " + terminal_safe(action.subject) +
               (action.bytes ? "  (" + human_bytes(action.bytes) + ")" : "") + "\n      " +
               terminal_safe(action.reason) + "\n";
        for (std::size_t i = 0; i < action.details.size() && i < k_details_shown; ++i) {
            out += "      - " + terminal_safe(action.details[i]) + "\n";
        }
        if (action.details.size() > k_details_shown) {
            out += "      ... and " + std::to_string(action.details.size() - k_details_shown) +
                   " more (--json lists all)\n";
        }
    }
    if (!plan.left_alone.empty()) {
        out += "Left alone:\n";
        for (const std::string& line : plan.left_alone) out += "  " + terminal_safe(line) + "\n";
    }
    if (!applying && !plan.actions.empty() && !plan.unwritable.empty()) {
        // Never an invitation --apply would only refuse (trial: "Permission denied" halfway).
        out +=
            "Nothing was changed. This user cannot apply it (--apply would be refused, exit "
            "5): it may not change " +
            terminal_safe(describe_unwritable(plan.unwritable)) + ".\n";
    } else if (!applying && !plan.actions.empty()) {
        out +=
            "Nothing was changed. Run again with --apply to do this; everything removed goes to " +
            terminal_safe(path_text(quarantine_dir(plan.root))) +
            " and 'bkcheck undo' puts it back.\n";
    }
    if (!applying && !plan.actions.empty() && plan.unwritable.empty()) {
        // Moving aside frees no space: say where the space comes back, so nobody runs prune on
        // a full disk and waits for room that never appears.
        if (plan.bytes() > 0) {
            out += "No disk space is freed by that: the " + human_bytes(plan.bytes()) +
                   " stay in the quarantine until that run is purged (--apply prints the "
                   "bkcheck purge command).\n";
        }
    }
    return out;
}

namespace {

// The plan's members, added to an open JSON object.
void write_plan_json(JsonWriter& json, const Plan& plan)
{
    json.key("root").string(path_text(plan.root)).key("verb").string(plan.verb);
    json.key("bytes").unsigned_number(plan.bytes());
    json.key("actions").begin_array();
    for (const Action& action : plan.actions) {
        json.begin_object()
            .key("kind")
            .string(action.kind)
            .key("subject")
            .string(action.subject)
            .key("reason")
            .string(action.reason)
            .key("bytes")
            .unsigned_number(action.bytes)
            .key("details")
            .begin_array();
        for (const std::string& detail : action.details) json.string(detail);
        json.end_array().end_object();
    }
    json.end_array().key("left_alone").begin_array();
    for (const std::string& line : plan.left_alone) json.string(line);
    json.end_array().key("unwritable").begin_array();
    for (const UnwritableFolder& folder : plan.unwritable) {
        json.begin_object()
            .key("folder")
            .string(path_text(folder.folder))
            .key("owner")
            .string_or_null(folder.access.owner)
            .key("read_only_volume")
            .boolean(folder.access.read_only_volume)
            .end_object();
    }
    json.end_array();
}

}  // namespace

std::string render_applied(const Plan& plan, const RunJournal& run)
{
    return "Applied as run " + terminal_safe(run.id) + " (" +
           count_of(run.steps.size(), "move", "moves") + "; " + human_bytes(run.bytes) + " in " +
           terminal_safe(path_text(quarantine_dir(plan.root))) +
           ").\nTo put everything back: bkcheck undo " +
           terminal_safe(shell_quote(plan.root) + " " + run.id) + "\n" +
           (run.bytes > 0 ? "To free the " + human_bytes(run.bytes) +
                                " (then nothing can be put back): bkcheck purge " +
                                terminal_safe(shell_quote(plan.root) + " " + run.id) + " --apply\n"
                          : "");
}

std::string render_in_use_notice(const std::vector<BackupInUse>& in_use, bool changes, bool apply,
                                 bool assume_finished)
{
    std::string out;
    for (const auto& [backup, busy] : in_use) {
        out += "In use: " + terminal_safe(describe_in_use(busy)) + "\n";
        // Nothing to change: --apply neither is refused nor changes anything, whatever the state.
        if (!changes) continue;
        if (!busy.process.empty()) {
            out += "  --apply will be refused (exit 5): " + terminal_safe(busy.process) +
                   " is running and holds its files open (--assume-finished does not override a "
                   "running "
                   "process). Wait until it ends, then run again.\n";
        } else if (assume_finished) {
            out += apply ? "  --assume-finished: the in-use check was overridden; the backup was "
                           "changed anyway.\n"
                         : "  --assume-finished: the in-use check is overridden; --apply will "
                           "change this backup.\n";
        } else {
            out +=
                "  --apply will be refused (exit 5): a backup seems to be running, and moving its "
                "files now would "
                "break it. To proceed, " +
                in_use_how_to_proceed() + ".\n";
        }
    }
    return out;
}

std::string render_prune_root_text(const PrunedRoot& root, bool apply, bool assume_finished)
{
    std::string out = terminal_safe(path_text(root.plan.root)) + ":\n" +
                      render_plan_text(root.plan, apply) +
                      render_in_use_notice(root.in_use, !root.plan.empty(), apply, assume_finished);
    if (root.run) out += render_applied(root.plan, *root.run);
    return out;
}

std::string render_prune_json(const std::vector<PrunedRoot>& roots, bool assume_finished)
{
    JsonWriter json;
    json.begin_object()
        .key("schema_version")
        .unsigned_number(1)
        .key("assume_finished")
        .boolean(assume_finished)
        .key("plans")
        .begin_array();
    for (const PrunedRoot& root : roots) {
        json.begin_object();
        write_plan_json(json, root.plan);
        write_backups_in_use_json(json, root.in_use);
        json.key("run").string_or_null(root.run ? root.run->id : "");
        json.end_object();
    }
    return json.end_array().end_object().str();
}

std::size_t RepairReport::errors_left() const
{
    const RepairAssessment& final_state = after ? *after : assessment;
    return static_cast<std::size_t>(
        std::count_if(final_state.findings.begin(), final_state.findings.end(),
                      [](const Finding& finding) { return finding.severity == Severity::Error; }));
}

std::string render_repair_json(const RepairReport& report)
{
    const Plan& plan = report.assessment.plan;
    JsonWriter json;
    json.begin_object()
        .key("schema_version")
        .unsigned_number(1)
        .key("backup")
        .string(path_text(report.backup));
    json.key("verdict_before").string(verdict_name(report.assessment.before.verdict));
    write_plan_json(json, plan);
    json.key("run").string_or_null(report.run ? report.run->id : "");
    json.key("verdict_after")
        .string_or_null(report.after ? verdict_name(report.after->before.verdict) : "");
    json.key("errors_left").unsigned_number(report.errors_left());
    write_in_use_json(json, report.in_use.empty()
                                ? std::nullopt
                                : std::optional<InUse>(report.in_use.front().second));
    json.key("assume_finished").boolean(report.assume_finished);
    return json.end_object().str();
}

std::string render_repair_text(const RepairReport& report)
{
    const RepairAssessment& assessment = report.assessment;
    const Plan& plan = assessment.plan;
    if (report.run && !report.after) {
        // The repair is done and journaled; only the check after it was cut short.
        return render_applied(plan, *report.run) +
               "The check after the repair was interrupted: run bkcheck verify --read-data " +
               shell_quote(report.backup) + "\n";
    }
    std::ostringstream out;
    out << "Backup " << terminal_safe(path_text(report.backup)) << "\n"
        << findings_summary(assessment.findings);
    // Not examined (an encrypted index without the password) is never "nothing to repair", even
    // beside a finding of the plists (an unfinished session) that repair cannot act on alone.
    auto count_code = [&](std::string_view code) {
        return std::count_if(assessment.findings.begin(), assessment.findings.end(),
                             [&](const Finding& finding) { return finding.code == code; });
    };
    bool index_unread = count_code(finding_code::manifest_encrypted) > 0;
    bool not_examined = assessment.before.verdict == Verdict::Unchecked || index_unread;
    // What could not be examined is said whether or not something else is planned (a Snapshot/
    // folder moved aside says nothing about an index nobody read).
    if (not_examined) {
        const VerifyCounts& counts = assessment.before.counts;
        auto denied = static_cast<std::size_t>(count_code(finding_code::access_denied));
        out << "Not examined: ";
        if (denied > 0) {
            // The index unread is said first: "1 file" alone hid that none it lists was looked at.
            if (!counts.index_examined) {
                out << "the index, which this user may not read, so none of the files it lists "
                       "was checked and nothing can be said about what in it needs repair; ";
            }
            out << count_of(denied, "file", "files")
                << " this user may not read (access.denied): not damage, so nothing is dropped or "
                   "moved for them; run bkcheck as a user who may read the backup.\n";
        } else if (!counts.index_examined) {
            out << "the index could not be read (encrypted, no password), so nothing can be said "
                   "about what in it needs repair; give the password (--password-file, "
                   "BKCHECK_PASSWORD, --key-file).\n";
        } else {
            out << count_of(counts.levels.not_checked, "file", "files")
                << " could not be looked at (see the findings above), so nothing is repaired for "
                   "them.\n";
        }
    }
    if (!plan.empty() || !not_examined) out << render_plan_text(plan, report.apply);
    out << render_in_use_notice(report.in_use, !plan.empty(), report.apply, report.assume_finished);
    if (report.run) {
        out << render_applied(plan, *report.run)
            << "After the repair, verify says: " << verdict_name(report.after->before.verdict)
            << ". " << findings_summary(report.after->findings);
    }
    return out.str();
}

}  // namespace bkcheck
