// bkcheck unlock <dir>: checks the password of an encrypted backup (only Manifest.plist is needed),
// and can save the derived key so later verbs skip the slow derivation.
#include "backup_keybag.h"
#include "interrupt.h"
#include "password.h"
#include "shared_options.h"

#include "bkcheck/report.h"

#include <ostream>

namespace bkcheck::cli {
namespace {

const VerbSpec k_spec{
    "unlock", "bkcheck unlock [options] <dir>",
    "Check the password of an encrypted backup; optionally save the derived key.",
    "Only Manifest.plist is read. Exit 0 when the password unlocks the backup, 4 when it\n"
    "does not. --save-key FILE writes the derived key (64 hex digits) to a file only you can\n"
    "read; give it to other verbs with --key-file to skip the slow key derivation. Whoever\n"
    "has that file can read the backup: keep it like the password. FILE may not be inside a\n"
    "backup folder nor a symlink; an existing FILE is replaced only when it is a key file\n"
    "(64 hex digits) of yours, or with --overwrite.\n"
    "--hash-line prints, without asking for a password, the keybag as the line hashcat\n"
    "(modes 14700/14800) and John the Ripper read, for a forgotten password."};

}  // namespace

int run_unlock(const std::vector<std::string>& args, Context& context)
{
    po::options_description options("Options");
    add_credential_options(options);
    options.add_options()("save-key", po::value<std::string>(),
                          "write the derived key to FILE (created 0600)")(
        "overwrite", "with --save-key: replace FILE even when it exists and is not a key file")(
        "hash-line", "print the keybag as a hashcat/John line; no password is asked");
    po::positional_options_description positional;
    add_json_option(options, "print the outcome as one JSON object");
    add_backup_folder(options, positional);
    int exit_code = k_exit_ok;
    auto values = parse_verb_options(k_spec, options, positional, args, context, exit_code);
    if (!values) return exit_code;

    bool overwrite = values->count("overwrite") != 0;
    if (overwrite && !values->count("save-key")) {
        context.err
            << "bkcheck unlock: --overwrite is for the key file; give it with --save-key FILE\n";
        return k_exit_usage;
    }
    bool hash_line = values->count("hash-line") != 0;
    if (hash_line && values->count("save-key")) {
        context.err << "bkcheck unlock: --hash-line derives no key: it cannot be saved\n";
        return k_exit_usage;
    }
    auto backup = open_backup(real_file_system(), backup_folder(*values));
    if (!backup) return report_error(backup.error(), context);
    UnlockReport report;
    report.backup = backup->path;
    auto print = [&] {
        context.out << (json_requested(*values) ? render_unlock_json(report)
                                                : render_unlock_text(report));
        return k_exit_ok;
    };
    if (hash_line) {
        auto line = backup_hash_line(*backup);
        if (!line) return report_error(line.error(), context);
        report.hash_line = *line;
        return print();
    }
    // Manifest.plist alone says whether it is encrypted: one this user may not read is that error
    // (exit 5).
    if (backup->manifest.denied) return report_error(backup_keybag(*backup).error(), context);
    if (!backup->encrypted) {
        report.encrypted = false;
        return print();
    }
    // Before the password is asked for and the slow derivation runs: a refused FILE costs nothing.
    if (values->count("save-key")) {
        Status claimable =
            check_output_file((*values)["save-key"].as<std::string>(), key_file_options(overwrite));
        if (!claimable) return report_error(claimable.error(), context);
    }
    auto unlock = unlock_if_needed(*values, *backup, {true, true}, context);
    if (!unlock) return report_error(unlock.error(), context);
    auto keys = (**unlock)();
    if (!keys) return report_error(keys.error(), context);
    // Ctrl-C just as the derivation finished: stop here too, saying nothing was unlocked or saved.
    if (interrupted()) return k_exit_interrupted;
    if (values->count("save-key")) {
        Status saved =
            save_key_file((*values)["save-key"].as<std::string>(), keys->passcode_key, overwrite);
        if (!saved) return report_error(saved.error(), context);
        report.key_saved_to = (*values)["save-key"].as<std::string>();
    }
    report.class_keys = keys->class_key_count;
    return print();
}

}  // namespace bkcheck::cli
