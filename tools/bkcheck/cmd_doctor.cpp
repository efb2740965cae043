// bkcheck doctor [ROOT...]: why a backup fails, ranked, each cause with the command that fixes it.
#include "backups_root.h"
#include "color.h"
#include "operation.h"
#include "password.h"
#include "shared_options.h"
#include "text.h"
#include "verb.h"

#include "bkcheck/doctor.h"
#include "bkcheck/path_text.h"
#include "bkcheck/report.h"

#include <map>
#include <ostream>

namespace bkcheck::cli {
namespace {

const VerbSpec k_spec{
    "doctor", "bkcheck doctor [options] [ROOT...]",
    "Say why backups fail: the likely causes, most likely first, each with the command that fixes "
    "it.",
    "Looks at each folder of backups (the default places without ROOT) and each backup in it: "
    "free\n"
    "space on the backup volume against the last backup (the device aborts with ErrorCode 105 "
    "when\n"
    "it is short), interrupted and damaged backups (a structure verify of each), folders this "
    "user\n"
    "may not read (macOS: Full Disk Access), identity mismatches, backups from a newer iOS than\n"
    "another of the same device, duplicate and very old backups. Encrypted backups: with a "
    "password\n"
    "(--password-file, BKCHECK_PASSWORD, --key-file; never a prompt) doctor says whether it "
    "unlocks\n"
    "them, and with --read-data finds the \"franken-backup\" whose files lost their keys. Reads "
    "only.\n"
    "Notes (advice, not problems) are shown with -v. Exit 0 when nothing is wrong, 1 when a "
    "problem\n"
    "was found, 5 when a folder could not be read (permissions), 6 when a backup could not be\n"
    "examined (encrypted, no password), in that precedence."};

}  // namespace

int run_doctor(const std::vector<std::string>& args, Context& context)
{
    po::options_description options("Options");
    po::positional_options_description positional;
    add_json_option(options, "print one JSON object");
    options.add_options()(
        "read-data", "also read every file (slow): digests and, with a password, every file's key")(
        "older-than", number_in_range("older-than", 0, k_max_days)->default_value(365),
        "call backups older than DAYS (not a device's newest) prune candidates");
    add_jobs_option(options);
    add_credential_options(options);
    add_backup_roots(options, positional, false);
    int exit_code = k_exit_ok;
    auto values = parse_verb_options(k_spec, options, positional, args, context, exit_code);
    if (!values) return exit_code;

    const FileSystem& file_system = real_file_system();
    std::vector<fs::path> roots;
    if (std::vector<std::string> named = backup_roots(*values); !named.empty()) {
        for (const std::string& typed : named) {
            // A folder the user named must exist: a typo is an error, not a diagnosis.
            fs::path root = normalized_path(typed);
            if (auto found = file_system.stat(root);
                !found && found.error().code == ErrorCode::NotFound) {
                return report_error(found.error(), context);
            }
            // One that holds no backup is said so (exit 3), never "no problem" about nothing. A
            // folder that cannot be listed is left to doctor, which diagnoses it.
            if (auto found = backups_in_named_root(file_system, root);
                !found && found.error().code == ErrorCode::NotABackup) {
                return report_error(found.error(), context);
            }
            roots.push_back(root);
        }
    } else {
        for (const BackupRoot& root : default_backup_roots(context.environment)) {
            // One this user may not even stat is kept: doctor diagnoses it (access.denied).
            auto found = file_system.stat(root.path);
            if (found || found.error().code != ErrorCode::NotFound) roots.push_back(root.path);
        }
        if (roots.empty()) {
            context.err << "bkcheck doctor: no backup folder in the default places; name one: "
                           "bkcheck doctor <folder>\n";
            return k_exit_usage;
        }
    }

    TerminalProgress terminal_progress(context.err);
    DoctorOptions doctor;
    share_context(doctor, operation_context(*values, terminal_progress, context));
    doctor.platform = context.environment.platform;
    doctor.read_data = values->count("read-data") != 0;
    doctor.old_after_days = static_cast<unsigned>((*values)["older-than"].as<long long>());
    // Never prompts: doctor is run by someone who does not yet know what is wrong.
    UnlockedBackups unlocked;  // alive while doctor runs
    auto unlocker = unlocker_for_each_backup(*values, context, unlocked);
    if (!unlocker) return report_error(unlocker.error(), context);
    doctor.unlock = std::move(*unlocker);
    auto report = diagnose(file_system, roots, doctor);
    if (!report) return report_error(report.error(), context);
    if (json_requested(*values)) {
        context.out << render_doctor_json(*report);
    } else {
        context.out << render_doctor_text(*report, context.verbosity == Verbosity::Verbose,
                                          out_has_color(context));
    }
    if (report->backups.empty() && !report->problems()) {
        context.err << "bkcheck doctor: no backup in the default places (";
        for (std::size_t i = 0; i < report->roots.size(); ++i) {
            context.err << (i == 0 ? "" : ", ") << terminal_safe(path_text(report->roots[i]));
        }
        context.err << "): nothing was checked; name the folder: bkcheck doctor <folder>\n";
        return k_exit_not_a_backup;
    }
    return judged_exit(report->damage(), report->access_problem(), report->unexamined());
}

}  // namespace bkcheck::cli
