// bkcheck undo <path> [RUN]: puts back what a prune or repair run moved, byte for byte.
#include "backups_root.h"
#include "bkcheck/report.h"
#include "text.h"
#include "text_format.h"
#include "verb.h"

#include "bkcheck/quarantine.h"

#include <ostream>

namespace bkcheck::cli {
namespace {

const VerbSpec k_spec{
    "undo", "bkcheck undo [options] <backup or folder of backups> [RUN]",
    "Put back what a prune or repair run changed, byte for byte.",
    "Without RUN, undoes the newest run that is not undone yet; --list shows the runs. A run that\n"
    "was stopped midway (a crash, a kill) is put back the same way. Nothing is overwritten: if a\n"
    "newer backup wrote a path the run had removed, undo stops and names it."};

std::string describe_run(const RunInfo& run)
{
    // The journal is read back from the quarantine and its summary names backups: through
    // terminal_safe.
    return terminal_safe(run.journal.id) + "  " + run_state_name(run.journal.state) + "  " +
           human_time(run.journal.created) + "  " + human_bytes(run.quarantined_bytes) + "\n" +
           [&] {
               std::string lines;
               for (const std::string& line : run.journal.summary)
                   lines += "    " + terminal_safe(line) + "\n";
               return lines;
           }();
}

}  // namespace

int run_undo(const std::vector<std::string>& args, Context& context)
{
    po::options_description options("Options");
    options.add_options()("list", "list the runs in the quarantine instead")(
        "path", po::value<std::string>()->required(),
        "a backup or the folder of backups (positional)")("run", po::value<std::string>(),
                                                          "the run to undo (positional)");
    po::positional_options_description positional;
    positional.add("path", 1).add("run", 1);
    int exit_code = k_exit_ok;
    auto values = parse_verb_options(k_spec, options, positional, args, context, exit_code);
    if (!values) return exit_code;

    const FileSystem& file_system = real_file_system();
    auto named_root = quarantine_root(file_system, (*values)["path"].as<std::string>());
    if (!named_root) return report_error(named_root.error(), context);
    const fs::path& root = *named_root;
    auto runs = list_runs(file_system, root);
    if (!runs) return report_error(runs.error(), context);
    if (values->count("list")) {
        if (runs->empty())
            context.out << "No runs in " << terminal_safe(quarantine_dir(root).string()) << "\n";
        for (const RunInfo& run : *runs) context.out << describe_run(run);
        return k_exit_ok;
    }
    std::string run_id;
    if (values->count("run")) {
        run_id = (*values)["run"].as<std::string>();
        auto named = std::find_if(runs->begin(), runs->end(),
                                  [&](const RunInfo& run) { return run.journal.id == run_id; });
        // A run that is not there was mistyped (a usage error), not a failure to read anything.
        if (named == runs->end()) {
            context.err << "bkcheck undo: no run " << terminal_safe(run_id) << " in "
                        << terminal_safe(quarantine_dir(root).string())
                        << " ('bkcheck undo --list' shows the runs)\n";
            return k_exit_usage;
        }
        if (named->journal.state == RunState::Undone ||
            named->journal.state == RunState::RolledBack) {
            context.out << "Nothing to undo: run " << terminal_safe(run_id) << " is already "
                        << (named->journal.state == RunState::Undone ? "undone" : "rolled back")
                        << ".\n";
            return k_exit_ok;
        }
    } else {
        for (const RunInfo& run : *runs) {
            if (run.journal.state == RunState::Applied || run.journal.state == RunState::Applying)
                run_id = run.journal.id;
        }
        if (run_id.empty()) {
            // Nothing was asked that could not be done: every run is undone or was rolled back.
            context.out << "Nothing to undo in " << terminal_safe(quarantine_dir(root).string())
                        << ".\n";
            return k_exit_ok;
        }
    }
    auto undone = undo_run(file_system, real_writable_file_system(), root, run_id);
    if (!undone) return report_error(undone.error(), context);
    context.out << "Undid run " << terminal_safe(undone->id) << ": "
                << count_of(undone->steps.size(), "move", "moves") << " put back in "
                << terminal_safe(root.string()) << ".\n";
    return k_exit_ok;
}

}  // namespace bkcheck::cli
