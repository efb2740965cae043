#include "backup_content.h"
#include "backup_keybag.h"
#include "text.h"

#include "color.h"
#include "password.h"

#include "bkcheck/backup_index.h"
#include "bkcheck/findings.h"
#include "bkcheck/report.h"

#include <ostream>

namespace bkcheck::cli {

Result<BackupContent> open_backup_unlocked(const po::variables_map& values, const std::string& dir,
                                           bool need_blob_keys, Context& context)
{
    auto backup = open_backup(real_file_system(), dir);
    if (!backup) return backup.error();
    // Whether it is encrypted is not known without Manifest.plist: one this user may not read is
    // that error (exit 5), never an index read as if plain and called damaged.
    if (backup->manifest.denied) return backup_keybag(*backup).error();
    BackupContent content{std::move(*backup), std::nullopt};
    auto unlock =
        unlock_if_needed(values, content.backup, {need_blob_keys, need_blob_keys}, context);
    if (!unlock) return std::move(unlock).error();
    if (*unlock) {
        auto keys = (**unlock)();
        if (!keys) return std::move(keys).error();
        content.keys = std::move(*keys);
    }
    return content;
}

void add_filter_options(po::options_description& options)
{
    options.add_options()("domain", po::value<std::string>(),
                          "only records of domains matching this glob (e.g. 'AppDomain-*')")(
        "path", po::value<std::string>(),
        "only records whose relativePath matches this glob ('*' matches '/')")(
        "file-id", po::value<std::string>(), "only the record with this fileID");
}

RecordFilter filter_from(const po::variables_map& values)
{
    RecordFilter filter;
    if (values.count("domain")) filter.domain = values["domain"].as<std::string>();
    if (values.count("path")) filter.path_glob = values["path"].as<std::string>();
    if (values.count("file-id")) filter.file_id = values["file-id"].as<std::string>();
    return filter;
}

bool report_empty_selection(const RecordFilter& filter, std::uint64_t matched,
                            const FilterTally* tally, std::string_view done, std::string_view verb,
                            Context& context)
{
    if (filter.empty() || matched != 0) return false;
    auto quoted = [](const std::string& text) { return "'" + terminal_safe(text) + "'"; };
    context.err << "bkcheck " << verb << ": no record matches";
    if (!filter.domain.empty()) context.err << " --domain " << quoted(filter.domain);
    if (!filter.path_glob.empty()) context.err << " --path " << quoted(filter.path_glob);
    if (!filter.file_id.empty()) context.err << " --file-id " << quoted(filter.file_id);
    // Say which part matched nothing: a domain that exists with a mistyped path is no call to
    // look up the domains.
    std::string domain_option = filter.domain.empty() ? "" : " --domain " + quoted(filter.domain);
    std::string nothing = "nothing was " + std::string(done);
    std::string domains_hint = " (bkcheck usage lists the domains)";
    if (tally == nullptr) {
        context.err << ": " << nothing << domains_hint << "\n";
    } else if (!filter.domain.empty() && !tally->domain) {
        context.err << ": no domain matches " << quoted(filter.domain) << "; " << nothing
                    << domains_hint << "\n";
    } else if (!filter.path_glob.empty() && !tally->path) {
        context.err << ": " << (filter.domain.empty() ? "no" : "the domain matches, but no")
                    << " relativePath matches " << quoted(filter.path_glob) << "; " << nothing
                    << " (bkcheck ls" << domain_option << " lists the paths)\n";
    } else if (!filter.file_id.empty() && !tally->file_id) {
        context.err << ": no record has the fileID " << quoted(filter.file_id) << "; " << nothing
                    << "\n";
    } else {
        context.err << ": each matches some record, but no record matches all of them; " << nothing
                    << "\n";
    }
    return true;
}

void add_names_option(po::options_description& options)
{
    options.add_options()("names", po::value<std::string>(),
                          "native (default): names follow the rules of the disk OUT is on; "
                          "portable: those of Linux, macOS and Windows at once");
}

std::optional<OutputNames> names_from(const po::variables_map& values, std::string_view verb,
                                      Context& context)
{
    if (!values.count("names")) return OutputNames::Native;
    const std::string& value = values["names"].as<std::string>();
    if (value == "native") return OutputNames::Native;
    if (value == "portable") return OutputNames::Portable;
    context.err << "bkcheck " << verb << ": --names must be native or portable\n";
    return std::nullopt;
}

void print_findings(const FindingSink& sink, std::ostream& out, bool color)
{
    for (const Finding& finding : sink.kept()) {
        std::string line;
        if (!finding.domain.empty() && !finding.path.empty()) {
            line = finding.domain + "/" + finding.path + ": ";
        } else if (!finding.domain.empty() || !finding.path.empty()) {
            line = finding.domain + finding.path + ": ";
        }
        out << "  " << paint_severity(finding.code, finding.severity, color) << "  "
            << terminal_safe(line + finding.message) << "\n";
    }
    for (const auto& [code, total] : sink.totals()) {
        if (total > sink.max_per_code()) {
            out << "  " << code << "  ... and " << (total - sink.max_per_code()) << " more\n";
        }
    }
}

int report_partial_index(const FindingSink& sink, const fs::path& backup, Context& context)
{
    if (sink.count(Severity::Error) == 0) return k_exit_ok;
    context.err
        << "bkcheck: the index is damaged: what is shown covers only the rows that could be read\n";
    print_findings(sink, context.err, err_has_color(context));
    context.err << damaged_index_remedy(backup);
    return k_exit_problems;
}

}  // namespace bkcheck::cli
