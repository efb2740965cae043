// bkcheck usage <dir>: space per domain and per app, largest first, as a bar chart.
#include "backup_content.h"
#include "bkcheck/report.h"
#include "password.h"
#include "shared_options.h"

#include "bkcheck/backup_index.h"
#include "bkcheck/usage.h"

#include <limits>
#include <ostream>

namespace bkcheck::cli {
namespace {

const VerbSpec k_spec{
    "usage", "bkcheck usage [options] <dir>",
    "Show the space each domain and app takes in a backup, largest first.",
    "Sizes are the files' sizes as recorded in the index (what a restore writes). An app's entry\n"
    "holds its AppDomain- container and the group and plugin containers whose identifiers name\n"
    "it; a group no app owns is listed as a shared group. --top N limits each list (default 20;\n"
    "0: all); --json lists everything unless --top is given."};

}  // namespace

int run_usage(const std::vector<std::string>& args, Context& context)
{
    po::options_description options("Options");
    po::positional_options_description positional;
    add_json_option(options, "print the sizes as JSON");
    options.add_options()(
        "top", number_in_range("top", 0, std::numeric_limits<long long>::max())->default_value(20),
        "show the N largest of each list (0: all)");
    add_filter_options(options);
    add_credential_options(options);
    add_backup_folder(options, positional);
    int exit_code = k_exit_ok;
    auto values = parse_verb_options(k_spec, options, positional, args, context, exit_code);
    if (!values) return exit_code;

    FindingSink sink(50);
    auto content = open_backup_unlocked(*values, backup_folder(*values), false, context);
    if (!content) return report_error(content.error(), context);
    RecordFilter filter = filter_from(*values);
    SpaceUsageTally tally(filter);
    RecordVisitor visitor;
    visitor.record = [&tally](FileRecord&& record) { tally.add(record); };
    Status read = for_each_backup_record(real_file_system(), content->backup, content->class_keys(),
                                         sink, visitor);
    if (!read) return report_error(read.error(), context);
    SpaceUsage usage = tally.result();
    auto top = static_cast<std::size_t>((*values)["top"].as<long long>());
    bool index_damaged = sink.count(Severity::Error) != 0;
    if (json_requested(*values)) {
        // JSON lists everything unless --top is given.
        if ((*values)["top"].defaulted()) top = 0;
        context.out << render_usage_json(usage, top, index_damaged);
    } else {
        context.out << render_usage_text(usage, top);
    }
    int partial = report_partial_index(sink, content->backup.path, context);
    // A filter that matched nothing (a mistyped --domain) says so and exits 1: nothing asked for
    // was counted. Every matched record lands in one domain's entry.
    if (report_empty_selection(filter, usage.domains.size(), nullptr, "counted", "usage", context))
        return k_exit_problems;
    return partial;
}

}  // namespace bkcheck::cli
