// bkcheck ls <dir>: the records of a backup (domain, path, kind, size, mtime, protection class).
#include "backup_content.h"
#include "bytes.h"
#include "password.h"
#include "text_format.h"
#include "bkcheck/report.h"

#include "bkcheck/backup_index.h"
#include "json_writer.h"

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

void write_record(JsonWriter& json, const FileRecord& record)
{
    json.begin_object()
        .key("file_id")
        .string(record.file_id)
        .key("domain")
        .string(record.domain)
        .key("path")
        .string(record.relative_path)
        .key("kind")
        .string(file_kind_name(record.kind))
        .key("size")
        .unsigned_number(record.size)
        .key("mode")
        .unsigned_number(record.mode & 07777)
        .key("mtime")
        .time_or_null(record.modified)
        .key("protection_class")
        .unsigned_number(record.protection_class);
    if (record.kind == FileKind::Symlink) json.key("target").string(record.target);
    // JSON strings are UTF-8: a name that is not has U+FFFD in its field above, so its exact bytes
    // follow as hex, and "names_escaped" says where to look.
    bool domain_raw = !is_valid_utf8(record.domain);
    bool path_raw = !is_valid_utf8(record.relative_path);
    bool target_raw = record.kind == FileKind::Symlink && !is_valid_utf8(record.target);
    if (domain_raw || path_raw || target_raw) {
        json.key("names_escaped").boolean(true);
        if (domain_raw) json.key("domain_hex").string(to_hex(as_bytes(record.domain)));
        if (path_raw) json.key("path_hex").string(to_hex(as_bytes(record.relative_path)));
        if (target_raw) json.key("target_hex").string(to_hex(as_bytes(record.target)));
    }
    json.end_object();
}

void write_record(std::ostream& out, const FileRecord& record)
{
    out << terminal_safe(record.domain) << "  " << terminal_safe(record.relative_path) << "  "
        << file_kind_name(record.kind) << "  " << record.size << "  " << human_time(record.modified)
        << "  class " << record.protection_class;
    if (record.kind == FileKind::Symlink) out << "  -> " << terminal_safe(record.target);
    out << "\n";
}

}  // namespace

int run_ls(const std::vector<std::string>& args, Context& context)
{
    po::options_description options("Options");
    options.add_options()("json", "print the records as JSON")(
        "dir", po::value<std::string>()->required(), "backup folder (positional)");
    add_filter_options(options);
    add_credential_options(options);
    po::positional_options_description positional;
    positional.add("dir", 1);
    int exit_code = k_exit_ok;
    auto values = parse_verb_options(k_spec, options, positional, args, context, exit_code);
    if (!values) return exit_code;

    // Records are printed as the index is read, never gathered: memory stays flat for a million
    // rows. When the index breaks part-way, the rows before the damage are listed and the error
    // follows (exit code as for any unreadable index); --json then closes its document with
    // "error".
    FindingSink sink(50);
    auto content =
        open_backup_unlocked(*values, (*values)["dir"].as<std::string>(), false, context);
    if (!content) return report_error(content.error(), context);
    RecordFilter filter = filter_from(*values);
    bool as_json = values->count("json") != 0;
    JsonWriter json;
    bool json_started = false;
    auto start_json = [&] {
        if (json_started) return;
        json.begin_object().key("records").begin_array();
        json_started = true;
    };
    std::uint64_t listed = 0;
    std::uint64_t unreadable = 0;
    RecordVisitor visitor;
    visitor.record = [&](FileRecord&& record) {
        if (!filter.matches(record)) return;
        if (as_json) {
            start_json();
            write_record(json, record);
            if (++listed % 256 == 0) json.flush_to(context.out);
        } else {
            write_record(context.out, record);
        }
    };
    visitor.unreadable = [&](const UnreadableRecord&) { ++unreadable; };
    Status read = for_each_backup_record(real_file_system(), content->backup, content->class_keys(),
                                         sink, visitor);
    if (as_json && (read || json_started)) {
        start_json();
        json.end_array().key("unreadable_rows").unsigned_number(unreadable);
        if (!read) json.key("error").string(read.error().describe());
        json.key("index_damaged").boolean(sink.count(Severity::Error) != 0);
        json.end_object().flush_to(context.out);
        context.out << "\n";
    } else if (!as_json && unreadable != 0) {
        context.err << unreadable << " rows of the index cannot be read (bkcheck verify)\n";
    }
    if (!read) return report_error(read.error(), context);
    return report_partial_index(sink, content->backup.path, context);
}

}  // namespace bkcheck::cli
