// extract's and export's closing text: what was written, what was left out and why.
#include "bkcheck/path_text.h"
#include "bkcheck/report.h"
#include "text_format.h"

#include <sstream>

namespace bkcheck {
namespace {

std::string hash_list_line(std::uint64_t listed, const std::string& hash_list)
{
    if (hash_list.empty()) return "";
    return "Hash list of " + count_of(listed, "file", "files") + " written to " +
           terminal_safe(hash_list) + " (check with sha256sum -c in OUT).\n";
}

// Files this user may not read (their access.denied findings printed above): not damage.
std::string denied_files_line(std::uint64_t count, std::string_view what_happened)
{
    if (count == 0) return "";
    return count_of(count, "file", "files") +
           " this user may not read (access.denied above): " + std::string(what_happened) +
           ". Not damage: run bkcheck as a user who may read the backup (ls -l shows the owner).\n";
}

// What was `done` ("extracted") is every record bkcheck could read, not necessarily the whole
// backup.
std::string damaged_index_lines(bool index_damaged, std::string_view done, const fs::path& backup)
{
    if (!index_damaged) return "";
    return "The index is damaged (manifest.* above): the records " + std::string(done) +
           " are every one bkcheck could read from it, not necessarily the whole backup.\n" +
           damaged_index_remedy(backup);
}

}  // namespace

std::string damaged_index_remedy(const fs::path& backup)
{
    std::string dir = terminal_safe(shell_quote(backup));
    return "  what to do: bkcheck verify " + dir + " for the whole picture; bkcheck repair " + dir +
           " (preview)\n";
}

std::string render_extract_text(const Backup& backup, const ExtractSummary& summary,
                                const std::string& hash_list, bool index_damaged)
{
    std::ostringstream out;
    out << "Extracted " << count_of(summary.files, "file", "files") << " ("
        << human_bytes(summary.bytes) << "), " << count_of(summary.directories, "folder", "folders")
        << ", " << count_of(summary.symlinks, "symlink", "symlinks") << " of "
        << count_of(summary.selected, "record", "records") << " selected; " << summary.skipped
        << " skipped";
    if (summary.damaged_written) out << ", " << summary.damaged_written << " written damaged";
    if (summary.stale_sizes) out << ", " << summary.stale_sizes << " with a stale recorded size";
    if (summary.renamed) out << ", " << summary.renamed << " renamed";
    out << ".\n"
        << hash_list_line(summary.hash_listed, hash_list)
        << denied_files_line(summary.denied, "not extracted");
    if (summary.unreadable_rows != 0) {
        out << count_of(summary.unreadable_rows, "row", "rows")
            << " of the index cannot be read and were not extracted.\n";
    }
    out << damaged_index_lines(index_damaged, "extracted", backup.path);
    return out.str();
}

std::string render_export_text(const Backup& backup, const ExportSummary& summary,
                               const std::string& hash_list, bool index_damaged)
{
    std::ostringstream out;
    out << "Exported " << count_of(summary.records, "record", "records") << " and "
        << count_of(summary.files, "file", "files") << " (" << human_bytes(summary.bytes) << ") to "
        << terminal_safe(path_text(summary.folder)) << "; " << summary.skipped << " left out";
    if (summary.sizes_fixed)
        out << ", " << count_of(summary.sizes_fixed, "stale size", "stale sizes") << " corrected";
    if (summary.unreadable_rows) {
        out << ", "
            << count_of(summary.unreadable_rows, "unreadable index row", "unreadable index rows")
            << " lost";
    }
    out << ".\n"
        << hash_list_line(summary.hash_listed, hash_list)
        << denied_files_line(summary.denied, "left out of the export, record and all")
        << damaged_index_lines(index_damaged, "exported", backup.path);
    return out.str();
}

}  // namespace bkcheck
