#include "in_use_output.h"
#include "text.h"

#include "bkcheck/report.h"

namespace bkcheck::cli {
namespace {

const std::string k_how_to_proceed = "wait until the backup has finished (and " +
                                     std::to_string(k_activity_window_seconds / 60) +
                                     " minutes have passed since its last write), then run again; "
                                     "if you know it is finished (a copy from another "
                                     "disk has new file times), add --assume-finished";

}  // namespace

void add_assume_finished_option(po::options_description& options)
{
    options.add_options()(
        "assume-finished",
        "treat every backup as finished even when it looks in use (new file times, e.g. a copy "
        "from another disk): --apply then changes it");
}

std::vector<BackupInUse> apply_blockers(const std::vector<BackupInUse>& in_use,
                                        bool assume_finished)
{
    std::vector<BackupInUse> blockers;
    for (const BackupInUse& entry : in_use) {
        if (!assume_finished || !entry.second.process.empty()) blockers.push_back(entry);
    }
    return blockers;
}

std::string render_in_use_notice(const std::vector<BackupInUse>& in_use, bool apply,
                                 bool assume_finished)
{
    std::string out;
    for (const auto& [backup, busy] : in_use) {
        out += "In use: " + terminal_safe(describe_in_use(busy)) + "\n";
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
                k_how_to_proceed + ".\n";
        }
    }
    return out;
}

Error in_use_refusal(const std::vector<BackupInUse>& in_use)
{
    const InUse& first = in_use.front().second;
    std::string others =
        in_use.size() > 1
            ? " (and " + count_of(in_use.size() - 1, "other backup", "other backups") + " in use)"
            : "";
    std::string proceed = first.process.empty()
                              ? k_how_to_proceed
                              : "wait until " + first.process + " (pid " +
                                    std::to_string(first.pid) +
                                    ") ends: --assume-finished does not override a running process";
    return make_error(
        ErrorCode::InUse, first.path.string(),
        first.reason + ": a backup seems to be running" + others +
            "; nothing was changed, as moving its files now would break it. To proceed, " +
            proceed + ".");
}

}  // namespace bkcheck::cli
