// bkcheck ls <dir>: the records of a backup (domain, path, kind, size, mtime, protection class).
#include "backup_content.h"
#include "password.h"
#include "text_format.h"

#include "bkcheck/json_writer.h"

#include <ostream>

namespace bkcheck::cli {
namespace {

const VerbSpec k_spec{
    "ls", "bkcheck ls [options] <dir>",
    "List the records of a backup: domain, path, kind, size, mtime, protection class.",
    "Reads the index only (never a blob). An encrypted iOS 10+ backup needs its password to read\n"
    "its index (--password-file, BKCHECK_PASSWORD, --key-file, or the prompt on a terminal).\n"
    "Names are shown with control characters replaced by '?'; --json gives them exactly."};

}  // namespace

int run_ls(const std::vector<std::string>& args, Context& context)
{
    po::options_description options("Options");
    options.add_options()
        ("json", "print the records as JSON")
        ("dir", po::value<std::string>()->required(), "backup folder (positional)");
    add_filter_options(options);
    add_credential_options(options);
    po::positional_options_description positional;
    positional.add("dir", 1);
    int exit_code = k_exit_ok;
    auto values = parse_verb_options(k_spec, options, positional, args, context, exit_code);
    if (!values) return exit_code;

    FindingSink sink(50);
    auto content = open_backup_content(*values, (*values)["dir"].as<std::string>(), false, sink, context);
    if (!content) return report_error(content.error(), context);
    RecordFilter filter = filter_from(*values);
    if (values->count("json")) {
        JsonWriter json;
        json.begin_object().key("records").begin_array();
        for (const FileRecord& record : content->index.records) {
            if (!filter.matches(record)) continue;
            json.begin_object()
                .key("file_id").string(record.file_id)
                .key("domain").string(record.domain)
                .key("path").string(record.relative_path)
                .key("kind").string(file_kind_name(record.kind))
                .key("size").unsigned_number(record.size)
                .key("mode").unsigned_number(record.mode & 07777)
                .key("mtime").time_or_null(record.modified)
                .key("protection_class").unsigned_number(record.protection_class);
            if (record.kind == FileKind::Symlink) json.key("target").string(record.target);
            json.end_object();
        }
        json.end_array().key("unreadable_rows").unsigned_number(content->index.unreadable.size()).end_object();
        context.out << json.str() << "\n";
        return k_exit_ok;
    }
    for (const FileRecord& record : content->index.records) {
        if (!filter.matches(record)) continue;
        context.out << printable(record.domain) << "  " << printable(record.relative_path) << "  "
                    << file_kind_name(record.kind) << "  " << record.size << "  " << human_time(record.modified)
                    << "  class " << record.protection_class;
        if (record.kind == FileKind::Symlink) context.out << "  -> " << printable(record.target);
        context.out << "\n";
    }
    if (!content->index.unreadable.empty()) {
        context.err << content->index.unreadable.size() << " rows of the index cannot be read (bkcheck verify)\n";
    }
    return k_exit_ok;
}

}  // namespace bkcheck::cli
