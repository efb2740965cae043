#include "cli.h"
#include "json_errors.h"

#include "verb.h"

#include "environment_variable.h"

#include <cstdlib>
#include <ostream>
#include <streambuf>

namespace bkcheck::cli {
namespace {

struct VerbEntry {
    const char* name;
    const char* summary;
    int (*run)(const std::vector<std::string>&, Context&);
};

const VerbEntry k_verbs[] = {
    {"list", "list the backups in the default places or the folders named", run_list},
    {"info", "describe one backup: device, iOS, dates, encryption, state", run_info},
    {"doctor", "say why backups fail, most likely cause first, with the command that fixes it",
     run_doctor},
    {"verify", "check a backup: every record against its blob (read-only)", run_verify},
    {"unlock", "check the password of an encrypted backup; save the derived key", run_unlock},
    {"prune",
     "move aside orphans, interrupted-backup leftovers and old backups (preview; undoable)",
     run_prune},
    {"repair", "repair a damaged backup so backup and restore succeed (preview; undoable)",
     run_repair},
    {"undo", "put back what a prune or repair run changed", run_undo},
    {"purge", "delete quarantined runs for good, freeing their space", run_purge},
    {"ls", "list the records of a backup: domain, path, kind, size, mtime, class", run_ls},
    {"usage", "show the space each domain and app takes, largest first", run_usage},
    {"extract", "write a backup's files as OUT/<domain>/<path>, decrypted, safely", run_extract},
    {"export", "write an unencrypted copy of a backup that verifies clean", run_export},
};

void print_main_help(std::ostream& out)
{
    out << "Usage: bkcheck <verb> [options] [arguments]\n\n"
           "bkcheck checks local iPhone/iPad backups (Finder, iTunes, idevicebackup2) and never\n"
           "changes a byte of them unless told to with --apply.\n\n"
           "Verbs:\n";
    for (const VerbEntry& verb : k_verbs) {
        std::string name = verb.name;
        out << "  " << name << std::string(10 - name.size(), ' ') << verb.summary << "\n";
    }
    out << "\n'bkcheck <verb> --help' describes a verb's options.\n\n"
        << "Options:\n  -h [ --help ]     show this help\n  --version         show the version\n"
        << "  -q [ --quiet ]    print nothing but errors (the exit code tells the outcome); never "
           "prompt\n"
        << "  -v [ --verbose ]  print more (doctor: its notes too)\n\n"
        << "Environment:\n  NO_COLOR          when set, no colour even on a terminal\n"
        << "  BKCHECK_PASSWORD  the password of an encrypted backup\n\n"
        << exit_code_table();
}

std::string getenv_or_empty(const char* name)
{
    return environment_variable(name).value_or(std::string());
}

// Takes --quiet/-q and --verbose/-v off the command line (before a "--"), wherever they are, so
// every verb accepts them without declaring them.
Verbosity take_verbosity(std::vector<std::string>& args)
{
    Verbosity verbosity = Verbosity::Normal;
    std::vector<std::string> kept;
    bool options_end = false;
    for (std::string& arg : args) {
        if (!options_end && (arg == "--quiet" || arg == "-q")) {
            verbosity = Verbosity::Quiet;
        } else if (!options_end && (arg == "--verbose" || arg == "-v")) {
            if (verbosity != Verbosity::Quiet) verbosity = Verbosity::Verbose;
        } else {
            options_end = options_end || arg == "--";
            kept.push_back(std::move(arg));
        }
    }
    args = std::move(kept);
    return verbosity;
}

// A stream that drops everything (what --quiet makes of stdout).
class NullBuffer final : public std::streambuf {
protected:
    int overflow(int c) override { return traits_type::not_eof(c); }
    std::streamsize xsputn(const char*, std::streamsize count) override { return count; }
};

int run_verb_once(const VerbEntry& verb, const std::vector<std::string>& args, Context& context)
{
    return asks_for_json(args) ? run_with_json_errors(verb.run, args, context)
                               : verb.run(args, context);
}

int run_verb(const VerbEntry& verb, const std::vector<std::string>& args, Context& context)
{
    if (context.verbosity != Verbosity::Quiet) return run_verb_once(verb, args, context);
    NullBuffer discard;
    std::ostream quiet_out(&discard);
    // No progress drawn and no prompt: a quiet run is for scripts.
    Context quiet{quiet_out, context.err,      context.environment, false,
                  false,     context.no_color, Verbosity::Quiet};
    return run_verb_once(verb, args, quiet);
}

}  // namespace

Environment process_environment()
{
    Environment environment;
#if defined(__APPLE__)
    environment.platform = Platform::MacOS;
#elif defined(_WIN32)
    environment.platform = Platform::Windows;
#else
    environment.platform = Platform::Linux;
#endif
    environment.home = getenv_or_empty("HOME");
    environment.appdata = getenv_or_empty("APPDATA");
    environment.userprofile = getenv_or_empty("USERPROFILE");
    return environment;
}

int run(const std::vector<std::string>& command_line, Context& context)
{
    std::vector<std::string> args = command_line;
    context.verbosity = take_verbosity(args);
    if (args.empty()) {
        print_main_help(context.err);
        return k_exit_usage;
    }
    const std::string& first = args.front();
    if (first == "--help" || first == "-h" || first == "help") {
        print_main_help(context.out);
        return k_exit_ok;
    }
    if (first == "--version") {
        context.out << "bkcheck " << BKCHECK_VERSION << "\n";
        return k_exit_ok;
    }
    for (const VerbEntry& verb : k_verbs) {
        if (first == verb.name)
            return run_verb(verb, std::vector<std::string>(args.begin() + 1, args.end()), context);
    }
    context.err << "bkcheck: unknown verb '" << first << "'\nTry 'bkcheck --help'.\n";
    return k_exit_usage;
}

}  // namespace bkcheck::cli
