// undo and purge: the runs of a quarantine, what undoing one did, what purging frees; in words and
// as JSON.
#include "bkcheck/report.h"
#include "text_format.h"

#include "bkcheck/path_text.h"
#include "json_writer.h"

namespace bkcheck {
namespace {

std::string quarantine_text(const fs::path& root)
{
    return terminal_safe(path_text(quarantine_dir(root)));
}

void write_run_json(JsonWriter& json, const RunInfo& run)
{
    json.begin_object()
        .key("id")
        .string(run.journal.id)
        .key("verb")
        .string(run.journal.verb)
        .key("state")
        .string(run_state_name(run.journal.state))
        .key("created")
        .time_or_null(run.journal.created)
        .key("quarantined_bytes")
        .unsigned_number(run.quarantined_bytes)
        .key("summary")
        .begin_array();
    for (const std::string& line : run.journal.summary) json.string(line);
    json.end_array().end_object();
}

JsonWriter& begin_json(JsonWriter& json, const fs::path& root)
{
    return json.begin_object()
        .key("schema_version")
        .unsigned_number(1)
        .key("quarantine")
        .string(path_text(quarantine_dir(root)));
}

}  // namespace

std::string render_runs_text(const fs::path& root, const std::vector<RunInfo>& runs)
{
    if (runs.empty()) return "No runs in " + quarantine_text(root) + "\n";
    std::string out;
    for (const RunInfo& run : runs) {
        // The journal is read back from the quarantine and its summary names backups: through
        // terminal_safe.
        out += terminal_safe(run.journal.id) + "  " + run_state_name(run.journal.state) + "  " +
               human_time(run.journal.created) + "  " + human_bytes(run.quarantined_bytes) + "\n";
        for (const std::string& line : run.journal.summary)
            out += "    " + terminal_safe(line) + "\n";
    }
    return out;
}

std::string render_runs_json(const fs::path& root, const std::vector<RunInfo>& runs)
{
    JsonWriter json;
    begin_json(json, root).key("runs").begin_array();
    for (const RunInfo& run : runs) write_run_json(json, run);
    return json.end_array().end_object().str();
}

std::string render_undo_text(const UndoReport& report)
{
    if (report.undone) {
        return "Undid run " + terminal_safe(report.undone->id) + ": " +
               count_of(report.undone->steps.size(), "move", "moves") + " put back in " +
               terminal_safe(path_text(report.root)) + ".\n";
    }
    if (report.run_id.empty()) return "Nothing to undo in " + quarantine_text(report.root) + ".\n";
    return "Nothing to undo: run " + terminal_safe(report.run_id) + " is already " +
           (report.state == RunState::Undone ? "undone" : "rolled back") + ".\n";
}

std::string render_undo_json(const UndoReport& report)
{
    JsonWriter json;
    begin_json(json, report.root)
        .key("run")
        .string_or_null(report.undone ? report.undone->id : report.run_id)
        .key("undone")
        .boolean(report.undone.has_value())
        .key("state")
        .string_or_null(report.undone           ? run_state_name(report.undone->state)
                        : report.run_id.empty() ? ""
                                                : run_state_name(report.state))
        .key("moves")
        .unsigned_number(report.undone ? report.undone->steps.size() : 0);
    return json.end_object().str();
}

std::string render_purge_text(const fs::path& root, const PurgeSelection& selection,
                              std::optional<std::uint64_t> freed)
{
    if (selection.chosen.empty()) return "Nothing to purge in " + quarantine_text(root) + ".\n";
    if (freed) {
        return "Deleted " + count_of(selection.chosen.size(), "run", "runs") + ", freed " +
               human_bytes(*freed) + ".\n";
    }
    std::string out;
    for (const RunInfo& run : selection.chosen)
        out +=
            "  " + terminal_safe(run.journal.id) + "  " + human_bytes(run.quarantined_bytes) + "\n";
    return out + "Would delete " + count_of(selection.chosen.size(), "run", "runs") + ", freeing " +
           human_bytes(selection.bytes) + ". Nothing was deleted: run again with --apply.\n";
}

std::string render_purge_json(const fs::path& root, const PurgeSelection& selection,
                              std::optional<std::uint64_t> freed)
{
    JsonWriter json;
    begin_json(json, root).key("applied").boolean(freed.has_value()).key("runs").begin_array();
    for (const RunInfo& run : selection.chosen) write_run_json(json, run);
    json.end_array().key("stopped").begin_array();
    for (const std::string& id : selection.stopped) json.string(id);
    json.end_array().key("bytes").unsigned_number(freed ? *freed : selection.bytes);
    return json.end_object().str();
}

}  // namespace bkcheck
