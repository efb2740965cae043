// bkcheck extract <dir> OUT: the files of a backup as OUT/<domain>/<relativePath>, decrypted.
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

#include "bkcheck/backup_index.h"
#include "bkcheck/extract.h"

#include <ostream>

namespace bkcheck::cli {
namespace {

const VerbSpec k_spec{
    "extract", "bkcheck extract [options] <dir> <OUT>",
    "Write the files of a backup as OUT/<domain>/<relativePath>, decrypted when encrypted.",
    "Restores mtimes and permission bits (not owners; never setuid/setgid/sticky). A name with "
    "\"..\",\n"
    "an absolute path, a NUL, or a path through a symlink is refused; a symlink is written only "
    "when\n"
    "its target stays inside OUT. Existing files are kept unless --overwrite. Damaged files are\n"
    "skipped (--keep-damaged writes them anyway). Each file is written under a temporary\n"
    "'.bkcheck-part-' name and renamed when whole; Ctrl-C removes the one in progress.\n"
    "A name the disk refuses is escaped (%XX); one it would merge with another (case, NFC/NFD)\n"
    "gets a distinct name (sms%~<fileID start>.db); each is reported (name.renamed). --names\n"
    "portable follows Linux, macOS and Windows at once, for a copy that will travel.\n"
    "Exit 0 when every selected record was written (symlinks pointing outside OUT are left out\n"
    "with a warning), 1 when any other was skipped (each is listed), else 5\n"
    "when this user may not read some file's content (access.denied: not written, not damage)."};

}  // namespace

int run_extract(const std::vector<std::string>& args, Context& context)
{
    po::options_description options("Options");
    po::positional_options_description positional;
    add_json_option(options, "print the outcome and findings as one JSON object");
    options.add_options()(
        "hash-list", po::value<std::string>(),
        "write a sha256sum list of the files written to FILE (paths relative to OUT)")(
        "overwrite", "replace files and symlinks that already exist under OUT")(
        "keep-damaged", "write files whose content is damaged instead of skipping them");
    add_filter_options(options);
    add_names_option(options);
    add_credential_options(options);
    add_backup_and_output_folders(options, positional);
    int exit_code = k_exit_ok;
    auto values = parse_verb_options(k_spec, options, positional, args, context, exit_code);
    if (!values) return exit_code;
    auto names = names_from(*values, "extract", context);
    if (!names) return k_exit_usage;

    FindingSink sink(200);
    auto content = open_backup_unlocked(*values, backup_folder(*values), true, context);
    if (!content) return report_error(content.error(), context);
    auto records =
        StreamedRecords::open(real_file_system(), content->backup, content->class_keys(), sink);
    if (!records) return report_error(records.error(), context);
    bool index_damaged = sink.count(Severity::Error) != 0;  // only the index has been read so far
    ExtractOptions extract;
    extract.filter = filter_from(*values);
    extract.overwrite = values->count("overwrite") != 0;
    extract.keep_damaged = values->count("keep-damaged") != 0;
    extract.keys = content->class_keys();
    extract.names = *names;
    extract.total_for_progress = context.err_is_terminal;
    if (values->count("hash-list"))
        extract.hash_list = normalized_path((*values)["hash-list"].as<std::string>());
    bool json_output = json_requested(*values);
    TerminalProgress terminal_progress(context.err);
    share_context(extract, operation_context(*values, terminal_progress, context));
    fs::path out = output_folder(*values);
    auto summary =
        extract_backup(real_file_system(), content->backup, *records, out, extract, sink);
    if (!json_output) print_findings(sink, context.out, out_has_color(context));
    if (!summary) return report_error(summary.error(), context);
    // A symlink that points outside OUT is left out by design (iOS keeps absolute links such as
    // /var/db/timezone/... in every backup): a warning, which alone is not a failed extract.
    std::uint64_t links_left_out = sink.count(finding_code::extract_symlink_outside);
    bool not_written = summary->skipped > links_left_out;
    bool none_matched = report_empty_selection(
        extract.filter, summary->selected, &summary->filter_tally, "extracted", "extract", context);
    int exit_code_judged =
        judged_exit(not_written || summary->unreadable_rows != 0 || index_damaged || none_matched,
                    summary->denied != 0, false);
    if (json_output) {
        context.out << render_extract_json(content->backup, out, *summary, index_damaged, sink);
        return exit_code_judged;
    }
    std::string hash_list =
        values->count("hash-list") ? (*values)["hash-list"].as<std::string>() : "";
    context.out << render_extract_text(content->backup, *summary, hash_list, index_damaged);
    return exit_code_judged;
}

}  // namespace bkcheck::cli
