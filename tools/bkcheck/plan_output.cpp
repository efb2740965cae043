#include "plan_output.h"
#include "text.h"

#include "text_format.h"
#include "bkcheck/report.h"

namespace bkcheck::cli {
namespace {

constexpr std::size_t k_details_shown = 10;

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
    if (!applying && !plan.actions.empty()) {
        out +=
            "Nothing was changed. Run again with --apply to do this; everything removed goes to " +
            terminal_safe(quarantine_dir(plan.root).string()) +
            " and 'bkcheck undo' puts it back.\n";
    }
    return out;
}

void write_plan_json(JsonWriter& json, const Plan& plan)
{
    json.key("root").string(plan.root.string()).key("verb").string(plan.verb);
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
    json.end_array();
}

std::string render_applied(const Plan& plan, const RunJournal& run)
{
    return "Applied as run " + terminal_safe(run.id) + " (" +
           count_of(run.steps.size(), "move", "moves") + "; " + human_bytes(run.bytes) + " in " +
           terminal_safe(quarantine_dir(plan.root).string()) +
           ").\nTo put everything back: bkcheck undo " +
           terminal_safe(plan.root.string() + " " + run.id) + "\n";
}

}  // namespace bkcheck::cli
