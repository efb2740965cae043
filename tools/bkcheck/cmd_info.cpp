// bkcheck info <dir>: everything the three plists say about a backup, in words.
#include "backups_root.h"
#include "bkcheck/report.h"
#include "shared_options.h"
#include "verb.h"

#include "bkcheck/backup.h"
#include "bkcheck/path_text.h"

#include <algorithm>
#include <ostream>

namespace bkcheck::cli {
namespace {

const VerbSpec k_spec{
    "info", "bkcheck info [options] <dir>",
    "Describe one backup: device, iOS version, dates, encryption and whether it finished.",
    "Reads only Info.plist, Status.plist and Manifest.plist (no blob, no index).\n"
    "Exit 1 when one of them is missing or unreadable (it is named on stderr)."};

struct PartProblem {
    std::string file;
    std::string state;  // "missing" / "unreadable"
    std::string problem;
};

template <typename T>
void collect_problem(const PlistPart<T>& part, const char* file, std::vector<PartProblem>& problems)
{
    if (part.ok()) return;
    if (part.state == PartState::Missing) {
        problems.push_back({file, "missing", ""});
    } else {
        problems.push_back({file, part.denied ? "access denied" : "unreadable", part.problem});
    }
}

}  // namespace

int run_info(const std::vector<std::string>& args, Context& context)
{
    po::options_description options("Options");
    po::positional_options_description positional;
    add_json_option(options, "print JSON");
    add_backup_folder(options, positional);
    int exit_code = k_exit_ok;
    auto values = parse_verb_options(k_spec, options, positional, args, context, exit_code);
    if (!values) return exit_code;

    auto backup = open_backup(real_file_system(), backup_folder(*values));
    if (!backup) return report_error(backup.error(), context);
    // Shown, never judged: a backup being written is a state, and a fresh copy looks like one.
    std::optional<InUse> in_use = backup_in_use(real_file_system(), *backup, now_seconds());

    std::vector<PartProblem> problems;
    collect_problem(backup->info, "Info.plist", problems);
    collect_problem(backup->status, "Status.plist", problems);
    collect_problem(backup->manifest, "Manifest.plist", problems);
    if (json_requested(*values)) {
        context.out << render_info_json(*backup, in_use);
    } else {
        context.out << render_info_text(*backup, in_use);
    }
    for (const PartProblem& problem : problems) {
        context.err << "bkcheck: "
                    << terminal_safe(path_text(backup->path / problem.file) + ": " + problem.state +
                                     (problem.problem.empty() ? "" : ": " + problem.problem))
                    << "\n";
    }
    // A plist this user may not read is not damage: exit 5 for it (1 still wins, as everywhere).
    auto denied = [](const PartProblem& problem) { return problem.state == "access denied"; };
    return judged_exit(!std::all_of(problems.begin(), problems.end(), denied),
                       std::any_of(problems.begin(), problems.end(), denied), false);
}

}  // namespace bkcheck::cli
