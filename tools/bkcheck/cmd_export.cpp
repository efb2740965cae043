// bkcheck export <dir> OUT: a complete unencrypted copy of the backup in OUT/<folder name>.
#include "backup_content.h"
#include "backups_root.h"
#include "bkcheck/report.h"
#include "color.h"
#include "operation.h"
#include "password.h"
#include "shared_options.h"
#include "terminal_progress.h"
#include "text.h"
#include "text_format.h"

#include "bkcheck/export_backup.h"

#include <ostream>

namespace bkcheck::cli {
namespace {

const VerbSpec k_spec{
    "export", "bkcheck export [options] <dir> <OUT>",
    "Write an unencrypted copy of a backup (same layout) into OUT/<folder name>.",
    "Blobs are decrypted, the index is rewritten without keys (Digests recomputed for the "
    "plaintext,\n"
    "stale sizes corrected), Manifest.plist says IsEncrypted false and carries no keybag;\n"
    "Info.plist and Status.plist are copied, Status.plist last, so an interrupted export is never\n"
    "taken for a finished backup. OUT/<folder name> must not exist. Damaged files are left out\n"
    "with their records (--keep-damaged keeps them). Blobs keep their fileID names, which every\n"
    "disk takes; --names only applies to the folder's own name. THE EXPORT IS NOT ENCRYPTED: "
    "anyone who can\n"
    "read OUT can read the data. Exit 0 when everything was exported, 1 when anything was left "
    "out,\n"
    "else 5 when files this user may not read were left out (access.denied: the export lacks "
    "them)."};

}  // namespace

int run_export(const std::vector<std::string>& args, Context& context)
{
    po::options_description options("Options");
    po::positional_options_description positional;
    add_json_option(options, "print the outcome and findings as one JSON object");
    options.add_options()(
        "hash-list", po::value<std::string>(),
        "write a sha256sum list of the files written to FILE (paths relative to OUT)")(
        "keep-damaged", "export damaged files (and their records) instead of leaving them out");
    add_names_option(options);
    add_credential_options(options);
    add_backup_and_output_folders(options, positional);
    int exit_code = k_exit_ok;
    auto values = parse_verb_options(k_spec, options, positional, args, context, exit_code);
    if (!values) return exit_code;
    auto names = names_from(*values, "export", context);
    if (!names) return k_exit_usage;

    FindingSink sink(200);
    auto content = open_backup_unlocked(*values, backup_folder(*values), true, context);
    if (!content) return report_error(content.error(), context);
    auto records =
        StreamedRecords::open(real_file_system(), content->backup, content->class_keys(), sink);
    if (!records) return report_error(records.error(), context);
    bool index_damaged = sink.count(Severity::Error) != 0;  // only the index has been read so far
    ExportOptions export_options;
    export_options.keep_damaged = values->count("keep-damaged") != 0;
    export_options.keys = content->class_keys();
    export_options.names = *names;
    export_options.total_for_progress = context.err_is_terminal;
    if (values->count("hash-list"))
        export_options.hash_list = normalized_path((*values)["hash-list"].as<std::string>());
    bool json_output = json_requested(*values);
    TerminalProgress terminal_progress(context.err);
    share_context(export_options, operation_context(*values, terminal_progress, context));
    auto summary = export_backup(real_file_system(), content->backup, *records,
                                 output_folder(*values), export_options, sink);
    if (!json_output) print_findings(sink, context.out, out_has_color(context));
    if (!summary) return report_error(summary.error(), context);
    int exit_code_judged =
        judged_exit(summary->skipped != 0 || summary->unreadable_rows != 0 || index_damaged,
                    summary->denied != 0, false);
    if (json_output) {
        context.out << render_export_json(content->backup, *summary, index_damaged, sink);
        return exit_code_judged;
    }
    std::string hash_list =
        values->count("hash-list") ? (*values)["hash-list"].as<std::string>() : "";
    context.out << render_export_text(content->backup, *summary, hash_list, index_damaged);
    return exit_code_judged;
}

}  // namespace bkcheck::cli
