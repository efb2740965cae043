// bkcheck purge <path>: the only verb that deletes: frees the space of quarantined runs for good.
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
    options.add_options()("apply", "delete (default: only show what would be deleted)")(
        "older-than", number_in_range("older-than", 0, k_max_days), "only runs older than DAYS")(
        "path", po::value<std::string>()->required(),
        "a backup or the folder of backups (positional)")(
        "run", po::value<std::vector<std::string>>(), "runs to purge (positional)");
    po::positional_options_description positional;
    positional.add("path", 1).add("run", -1);
    int exit_code = k_exit_ok;
    auto values = parse_verb_options(k_spec, options, positional, args, context, exit_code);
    if (!values) return exit_code;

    const FileSystem& file_system = real_file_system();
    auto named_root = quarantine_root(file_system, (*values)["path"].as<std::string>());
    if (!named_root) return report_error(named_root.error(), context);
    const fs::path& root = *named_root;
    auto runs = list_runs(file_system, root);
    if (!runs) return report_error(runs.error(), context);
    std::vector<std::string> named;
    if (values->count("run")) named = (*values)["run"].as<std::vector<std::string>>();
    std::vector<RunInfo> chosen;
    std::uint64_t bytes = 0;
    for (const RunInfo& run : *runs) {
        bool wanted =
            named.empty() || std::find(named.begin(), named.end(), run.journal.id) != named.end();
        if (values->count("older-than") &&
            run.journal.created >=
                now_seconds() - (*values)["older-than"].as<long long>() * k_seconds_per_day) {
            wanted = false;
        }
        if (!wanted) continue;
        if (run.journal.state == RunState::Applying) {
            context.err << "bkcheck purge: run " << terminal_safe(run.journal.id)
                        << " was stopped midway; undo it first\n";
            continue;
        }
        chosen.push_back(run);
        bytes += run.quarantined_bytes;
    }
    for (const std::string& id : named) {
        if (std::none_of(runs->begin(), runs->end(),
                         [&](const RunInfo& run) { return run.journal.id == id; })) {
            context.err << "bkcheck purge: no run " << terminal_safe(id) << " in "
                        << terminal_safe(quarantine_dir(root).string()) << "\n";
            return k_exit_usage;
        }
    }
    if (chosen.empty()) {
        context.out << "Nothing to purge in " << terminal_safe(quarantine_dir(root).string())
                    << ".\n";
        return k_exit_ok;
    }
    if (!values->count("apply")) {
        for (const RunInfo& run : chosen) {
            context.out << "  " << terminal_safe(run.journal.id) << "  "
                        << human_bytes(run.quarantined_bytes) << "\n";
        }
        context.out << "Would delete " << count_of(chosen.size(), "run", "runs") << ", freeing "
                    << human_bytes(bytes) << ". Nothing was deleted: run again with --apply.\n";
        return k_exit_problems;  // as prune's preview: something is waiting for --apply
    }
    auto freed = purge_runs(real_writable_file_system(), root, chosen);
    if (!freed) return report_error(freed.error(), context);
    context.out << "Deleted " << count_of(chosen.size(), "run", "runs") << ", freed "
                << human_bytes(*freed) << ".\n";
    return k_exit_ok;
}

}  // namespace bkcheck::cli
