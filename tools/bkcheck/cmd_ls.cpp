// bkcheck ls <dir>: the records of a backup (domain, path, kind, size, mtime, protection class).
#include "backup_content.h"
#include "bkcheck/report.h"
#include "password.h"
#include "shared_options.h"

#include "bkcheck/backup_index.h"

#include <ostream>

namespace bkcheck::cli {
namespace {

const VerbSpec k_spec{
    "ls", "bkcheck ls [options] <dir>",
    "List the records of a backup: domain, path, kind, size, mtime, protection class.",
    "Reads the index only (never a blob). An encrypted iOS 10+ backup needs its password to read\n"
    "its index (--password-file, BKCHECK_PASSWORD, --key-file, or the prompt on a terminal).\n"
    "Names are shown with control characters and bytes that are not UTF-8 escaped (\\x1b, \\n);\n"
    "--json gives them exactly (a name that is not UTF-8 also as hex: <field>_hex)."};

}  // namespace

int run_ls(const std::vector<std::string>& args, Context& context)
{
    po::options_description options("Options");
    po::positional_options_description positional;
    add_json_option(options, "print the records as JSON");
    add_filter_options(options);
    add_credential_options(options);
    add_backup_folder(options, positional);
    int exit_code = k_exit_ok;
    auto values = parse_verb_options(k_spec, options, positional, args, context, exit_code);
    if (!values) return exit_code;

    // Records are printed as the index is read, never gathered: memory stays flat for a million
    // rows. When the index breaks part-way, the rows before the damage are listed and the error
    // follows (exit code as for any unreadable index); --json then closes its document with
    // "error".
    FindingSink sink(50);
    auto content = open_backup_unlocked(*values, backup_folder(*values), false, context);
    if (!content) return report_error(content.error(), context);
    RecordFilter filter = filter_from(*values);
    bool as_json = json_requested(*values);
    RecordListOutput output(context.out, as_json);
    std::uint64_t unreadable = 0;
    RecordVisitor visitor;
    std::uint64_t matched = 0;
    FilterTally tally;
    visitor.record = [&](FileRecord&& record) {
        if (!filter.matches(record)) return tally.note(filter, record);
        ++matched;
        output.record(record);
    };
    visitor.unreadable = [&](const UnreadableRecord&) { ++unreadable; };
    Status read = for_each_backup_record(real_file_system(), content->backup, content->class_keys(),
                                         sink, visitor);
    output.finish(unreadable, read, sink.count(Severity::Error) != 0);
    if (!as_json && unreadable != 0)
        context.err << unreadable << " rows of the index cannot be read (bkcheck verify)\n";
    if (!read) return report_error(read.error(), context);
    int partial = report_partial_index(sink, content->backup.path, context);
    if (report_empty_selection(filter, matched, &tally, "listed", "ls", context))
        return k_exit_problems;
    return partial;
}

}  // namespace bkcheck::cli
