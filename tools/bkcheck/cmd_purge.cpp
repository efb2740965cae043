// bkcheck purge <path>: the only verb that deletes: frees the space of quarantined runs for good.
#include "backups_root.h"
#include "bkcheck/report.h"
#include "shared_options.h"
#include "text.h"
#include "verb.h"

#include "bkcheck/path_text.h"
#include "bkcheck/quarantine.h"

#include <ostream>

namespace bkcheck::cli {
namespace {

const VerbSpec k_spec{
    "purge", "bkcheck purge [options] <backup or folder of backups> [RUN...]",
    "Delete quarantined runs for good and say how much space that frees.",
    "Without RUN, every run (or those older than --older-than DAYS). A run stopped midway is "
    "never\n"
    "purged: undo it first. Shows what it would delete and how much; deletes only with --apply.\n"
    "After a purge, undo of those runs is no longer possible."};

constexpr std::int64_t k_seconds_per_day = 86400;

}  // namespace

int run_purge(const std::vector<std::string>& args, Context& context)
{
    po::options_description options("Options");
    po::positional_options_description positional;
    options.add_options()("apply", "delete (default: only show what would be deleted)");
    add_json_option(options, "print what would be (or was) deleted as one JSON object");
    options.add_options()("older-than", number_in_range("older-than", 0, k_max_days),
                          "only runs older than DAYS");
    add_quarantine_arguments(options, positional, -1);
    int exit_code = k_exit_ok;
    auto values = parse_verb_options(k_spec, options, positional, args, context, exit_code);
    if (!values) return exit_code;

    const FileSystem& file_system = real_file_system();
    auto named_root = quarantine_root(file_system, quarantine_owner(*values));
    if (!named_root) return report_error(named_root.error(), context);
    const fs::path& root = *named_root;
    auto runs = runs_named(file_system, root, quarantine_owner(*values));
    if (!runs) return report_error(runs.error(), context);
    std::vector<std::string> named = named_runs(*values);
    std::optional<std::int64_t> created_before;
    if (values->count("older-than"))
        created_before =
            now_seconds() - (*values)["older-than"].as<long long>() * k_seconds_per_day;
    PurgeSelection selection = select_runs_to_purge(*runs, named, created_before);
    if (!selection.unknown.empty()) {
        context.err << "bkcheck purge: no run " << terminal_safe(selection.unknown.front())
                    << " in " << terminal_safe(path_text(quarantine_dir(root))) << "\n";
        return k_exit_usage;
    }
    for (const std::string& id : selection.stopped) {
        context.err << "bkcheck purge: run " << terminal_safe(id)
                    << " was stopped midway; undo it first\n";
    }
    bool json_output = json_requested(*values);
    std::optional<std::uint64_t> freed;
    bool apply = values->count("apply") != 0;
    if (apply && !selection.chosen.empty()) {
        auto purged = purge_runs(real_writable_file_system(), root, selection.chosen);
        if (!purged) return report_error(purged.error(), context);
        freed = *purged;
    }
    context.out << (json_output ? render_purge_json(root, selection, freed)
                                : render_purge_text(root, selection, freed));
    // A preview that found something to delete waits for --apply (as prune's); a run stopped
    // midway was asked for and could not be purged.
    bool pending = !apply && !selection.chosen.empty();
    return pending || !selection.stopped.empty() ? k_exit_problems : k_exit_ok;
}

}  // namespace bkcheck::cli
