// bkcheck undo <path> [RUN]: puts back what a prune or repair run moved, byte for byte.
#include "backups_root.h"
#include "bkcheck/report.h"
#include "shared_options.h"
#include "verb.h"

#include "bkcheck/path_text.h"
#include "bkcheck/quarantine.h"

#include <ostream>

namespace bkcheck::cli {
namespace {

const VerbSpec k_spec{
    "undo", "bkcheck undo [options] <backup or folder of backups> [RUN]",
    "Put back what a prune or repair run changed, byte for byte.",
    "Without RUN, undoes the newest run that is not undone yet; --list shows the runs. A run that\n"
    "was stopped midway (a crash, a kill) is put back the same way. Nothing is overwritten: if a\n"
    "newer backup wrote a path the run had removed, undo stops and names it. Runs are undone\n"
    "newest first where they meet: a run is not undone while a newer one that changed the same\n"
    "backup is still applied (exit 5; it names that run)."};

}  // namespace

int run_undo(const std::vector<std::string>& args, Context& context)
{
    po::options_description options("Options");
    po::positional_options_description positional;
    options.add_options()("list", "list the runs in the quarantine instead");
    add_json_option(options, "print the runs, or what was undone, as one JSON object");
    add_quarantine_arguments(options, positional, 1);
    int exit_code = k_exit_ok;
    auto values = parse_verb_options(k_spec, options, positional, args, context, exit_code);
    if (!values) return exit_code;

    const FileSystem& file_system = real_file_system();
    auto named_root = quarantine_root(file_system, quarantine_owner(*values));
    if (!named_root) return report_error(named_root.error(), context);
    const fs::path& root = *named_root;
    auto runs = runs_named(file_system, root, quarantine_owner(*values));
    if (!runs) return report_error(runs.error(), context);
    bool json_output = json_requested(*values);
    if (values->count("list")) {
        context.out << (json_output ? render_runs_json(root, *runs)
                                    : render_runs_text(root, *runs));
        return k_exit_ok;
    }
    UndoReport report;
    report.root = root;
    auto print = [&] {
        context.out << (json_output ? render_undo_json(report) : render_undo_text(report));
        return k_exit_ok;
    };
    if (std::vector<std::string> named_run = named_runs(*values); !named_run.empty()) {
        report.run_id = named_run.front();
        auto named = std::find_if(runs->begin(), runs->end(), [&](const RunInfo& run) {
            return run.journal.id == report.run_id;
        });
        // A run that is not there was mistyped (a usage error), not a failure to read anything.
        if (named == runs->end()) {
            context.err << "bkcheck undo: no run " << terminal_safe(report.run_id) << " in "
                        << terminal_safe(path_text(quarantine_dir(root)))
                        << " ('bkcheck undo --list' shows the runs)\n";
            return k_exit_usage;
        }
        report.state = named->journal.state;
        if (report.state == RunState::Undone || report.state == RunState::RolledBack)
            return print();
    } else {
        for (const RunInfo& run : *runs) {
            if (run.journal.state == RunState::Applied || run.journal.state == RunState::Applying)
                report.run_id = run.journal.id;
        }
        // Nothing was asked that could not be done: every run is undone or was rolled back.
        if (report.run_id.empty()) return print();
    }
    auto undone = undo_run(file_system, real_writable_file_system(), root, report.run_id);
    if (!undone) return report_error(undone.error(), context);
    report.undone = std::move(*undone);
    return print();
}

}  // namespace bkcheck::cli
