#include "bkcheck/quarantine.h"

namespace bkcheck {

std::uint64_t Plan::bytes() const
{
    std::uint64_t total = 0;
    for (const Action& action : actions) total += action.bytes;
    return total;
}

bool Plan::changes_folder(const fs::path& name) const
{
    auto inside = [&](const fs::path& path) { return !path.empty() && *path.begin() == name; };
    for (const Action& action : actions) {
        for (const Change& change : action.changes) {
            if (inside(change.path) || (change.kind == ChangeKind::Move && inside(change.to)))
                return true;
        }
    }
    return false;
}

}  // namespace bkcheck
