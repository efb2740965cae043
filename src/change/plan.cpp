#include "bkcheck/path_text.h"
#include "bkcheck/quarantine.h"

#include <set>
#include <string>

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

std::vector<UnwritableFolder> unwritable_folders(const FileSystem& file_system, const Plan& plan)
{
    // A rename needs both folders; a folder moved to another one needs itself too (its ".." entry
    // changes). A folder a move creates is made inside the nearest one that exists.
    std::vector<UnwritableFolder> unwritable;
    if (plan.actions.empty()) return unwritable;
    std::set<fs::path> folders;
    auto existing = [&](fs::path folder) {
        while (!folder.empty() && !file_system.exists(plan.root / folder))
            folder = folder.parent_path();
        return folder.empty() ? plan.root : plan.root / folder;
    };
    fs::path quarantine = plan.root / k_quarantine_folder;
    folders.insert(file_system.exists(quarantine) ? quarantine : plan.root);
    for (const Action& action : plan.actions) {
        for (const Change& change : action.changes) {
            folders.insert(existing(change.path.parent_path()));
            if (change.kind == ChangeKind::Move) folders.insert(existing(change.to.parent_path()));
            if (change.kind == ChangeKind::Write) continue;
            auto stat = file_system.stat(plan.root / change.path);
            if (stat && stat->type == EntryType::Directory) folders.insert(plan.root / change.path);
        }
    }
    for (const fs::path& folder : folders) {
        FolderAccess access = file_system.folder_access(folder);
        if (!access.may_change) unwritable.push_back({folder, access});
    }
    return unwritable;
}

std::string describe_unwritable(const std::vector<UnwritableFolder>& unwritable)
{
    if (unwritable.empty()) return {};
    const UnwritableFolder& first = unwritable.front();
    std::string others = unwritable.size() == 1
                             ? ""
                             : " (and " + std::to_string(unwritable.size() - 1) + " more folder" +
                                   (unwritable.size() == 2 ? "" : "s") + ")";
    if (first.access.read_only_volume)
        return path_text(first.folder) + others + ": it is on a read-only volume";
    std::string owner = first.access.owner.empty() ? "" : " (" + first.access.owner + ")";
    return path_text(first.folder) + others + "; its owner" + owner +
           " or an administrator can apply it";
}

}  // namespace bkcheck
