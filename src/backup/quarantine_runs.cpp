#include "bkcheck/quarantine_runs.h"
#include "quarantine_journal.h"

#include "bkcheck/findings.h"
#include "bkcheck/path_text.h"
#include "resolved_path.h"

#include <algorithm>

namespace bkcheck {
namespace {

constexpr std::uint64_t k_max_journal_bytes = 64ull << 20;

}  // namespace

fs::path quarantine_dir(const fs::path& root)
{
    return root / k_quarantine_folder;
}

fs::path run_dir(const fs::path& root, const std::string& run_id)
{
    return quarantine_dir(root) / run_id;
}

Result<RunJournal> read_journal(const FileSystem& file_system, const fs::path& root,
                                const std::string& run_id)
{
    fs::path path = run_dir(root, run_id) / k_journal_file;
    auto bytes = file_system.read_file(path, k_max_journal_bytes);
    if (!bytes) return std::move(bytes).error();
    return parse_journal(*bytes, path_text(path));
}

Result<std::vector<RunInfo>> list_runs(const FileSystem& file_system, const fs::path& root)
{
    std::vector<RunInfo> runs;
    auto entries = file_system.list(quarantine_dir(root));
    if (!entries) {
        if (entries.error().code == ErrorCode::NotFound) return runs;
        return std::move(entries).error();
    }
    for (const DirEntry& entry : *entries) {
        if (entry.type != EntryType::Directory) continue;
        auto journal = read_journal(file_system, root, entry.name);
        // A run this user may not read is not "no run": purge would call it nothing and undo miss
        // it.
        if (!journal && is_permission_error(journal.error())) return std::move(journal).error();
        if (!journal || journal->id != entry.name) continue;
        runs.push_back({std::move(*journal), size_on_disk(file_system, run_dir(root, entry.name))});
    }
    return runs;  // listed by name, and names start with the time
}

std::string UnfinishedRun::undo_command() const
{
    return "bkcheck undo " + shell_quote(root) + " " + run_id;
}

std::vector<UnfinishedRun> unfinished_runs(const FileSystem& file_system,
                                           const fs::path& backup_dir)
{
    std::vector<UnfinishedRun> unfinished;
    std::error_code error;
    fs::path absolute = absolute_path(backup_dir, error);
    if (error) return unfinished;
    absolute = absolute.lexically_normal();
    if (!absolute.has_filename()) absolute = absolute.parent_path();  // "dir/" names dir
    const fs::path folder = absolute.filename();
    fs::path root = absolute.parent_path();
    fs::path real_root = weakly_canonical_path(root, error);
    if (!error) root = real_root;
    auto runs = list_runs(file_system, root);
    if (!runs) return unfinished;
    auto names_backup = [&](const fs::path& relative) {
        return !relative.empty() && *relative.begin() == folder;
    };
    for (const RunInfo& run : *runs) {
        if (run.journal.state != RunState::Applying) continue;
        bool touches = std::any_of(
            run.journal.steps.begin(), run.journal.steps.end(),
            [&](const RunStep& step) { return names_backup(step.from) || names_backup(step.to); });
        if (touches) unfinished.push_back({root, run.journal.id, run.journal.verb});
    }
    return unfinished;
}

std::vector<RunInfo> runs_of_backup(const std::vector<RunInfo>& runs,
                                    const std::string& backup_folder)
{
    auto in_backup = [&](const fs::path& relative) {
        return !relative.empty() && *relative.begin() == backup_folder;
    };
    std::vector<RunInfo> chosen;
    for (const RunInfo& run : runs) {
        if (std::any_of(
                run.journal.steps.begin(), run.journal.steps.end(),
                [&](const RunStep& step) { return in_backup(step.from) || in_backup(step.to); }))
            chosen.push_back(run);
    }
    return chosen;
}

PurgeSelection select_runs_to_purge(const std::vector<RunInfo>& runs,
                                    const std::vector<std::string>& named,
                                    std::optional<std::int64_t> created_before)
{
    PurgeSelection selection;
    for (const RunInfo& run : runs) {
        bool wanted =
            named.empty() || std::find(named.begin(), named.end(), run.journal.id) != named.end();
        if (created_before && run.journal.created >= *created_before) wanted = false;
        if (!wanted) continue;
        if (run.journal.state == RunState::Applying) {
            selection.stopped.push_back(run.journal.id);
            continue;
        }
        selection.chosen.push_back(run);
        selection.bytes += run.quarantined_bytes;
    }
    for (const std::string& id : named) {
        if (std::none_of(runs.begin(), runs.end(),
                         [&](const RunInfo& run) { return run.journal.id == id; }))
            selection.unknown.push_back(id);
    }
    return selection;
}

}  // namespace bkcheck
