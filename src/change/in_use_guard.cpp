// Whether --apply may change backups that look in use, and the refusal when not.
#include "in_use_guard.h"
#include "text.h"

#include "bkcheck/path_text.h"
#include "bkcheck/quarantine.h"

namespace bkcheck {

const std::string& in_use_how_to_proceed()
{
    static const std::string how = "wait until the backup has finished (and " +
                                   std::to_string(k_activity_window_seconds / 60) +
                                   " minutes have passed since its last write), then run again; "
                                   "if you know it is finished (a copy from another "
                                   "disk has new file times), add --assume-finished";
    return how;
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

Error in_use_refusal(const std::vector<BackupInUse>& in_use)
{
    const InUse& first = in_use.front().second;
    std::string others =
        in_use.size() > 1
            ? " (and " + count_of(in_use.size() - 1, "other backup", "other backups") + " in use)"
            : "";
    std::string proceed = first.process.empty()
                              ? in_use_how_to_proceed()
                              : "wait until " + first.process + " (pid " +
                                    std::to_string(first.pid) +
                                    ") ends: --assume-finished does not override a running process";
    return make_error(
        ErrorCode::InUse, path_text(first.path),
        first.reason + ": a backup seems to be running" + others +
            "; nothing was changed, as moving its files now would break it. To proceed, " +
            proceed + ".");
}

}  // namespace bkcheck
