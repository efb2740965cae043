// bkcheck list [ROOT...]: one row per backup found in the default places or the folders named.
#include "backups_root.h"
#include "bkcheck/report.h"
#include "shared_options.h"
#include "verb.h"

#include "bkcheck/backup.h"

#include <algorithm>
#include <ostream>

namespace bkcheck::cli {
namespace {

const VerbSpec k_spec{
    "list", "bkcheck list [options] [ROOT...]",
    "List backups: device, model, iOS version, last backup, size on disk, encryption, state.",
    "Without ROOT, looks in the default places: macOS ~/Library/Application "
    "Support/MobileSync/Backup;\n"
    "Windows %APPDATA%\\Apple Computer\\MobileSync\\Backup and "
    "%USERPROFILE%\\Apple\\MobileSync\\Backup.\n"
    "Linux has no default place (idevicebackup2 writes where it is told): name the folder.\n"
    "A ROOT may be a backup itself or a folder of backups, archived <UDID>-YYYYMMDD-HHMMSS copies "
    "included.\n"
    "A folder (or plist) this user may not read is listed as \"access denied\" and the exit is 5.\n"
    "--platform and --home/--appdata/--userprofile look at another machine's disk mounted here."};

std::optional<Platform> parse_platform(const std::string& name)
{
    if (name == "macos") return Platform::MacOS;
    if (name == "windows") return Platform::Windows;
    if (name == "linux") return Platform::Linux;
    return std::nullopt;
}

}  // namespace

int run_list(const std::vector<std::string>& args, Context& context)
{
    po::options_description options("Options");
    po::positional_options_description positional;
    add_json_option(options, "print JSON");
    options.add_options()(
        "platform", po::value<std::string>(),
        "whose default places to search: macos, windows or linux (default: this machine's)")(
        "home", po::value<std::string>(), "home folder to search (default: $HOME)")(
        "appdata", po::value<std::string>(), "Windows %APPDATA% to search (default: $APPDATA)")(
        "userprofile", po::value<std::string>(),
        "Windows %USERPROFILE% to search (default: $USERPROFILE)");
    add_backup_roots(options, positional, false);
    int exit_code = k_exit_ok;
    auto values = parse_verb_options(k_spec, options, positional, args, context, exit_code);
    if (!values) return exit_code;

    Environment environment = context.environment;
    if (values->count("platform")) {
        auto platform = parse_platform((*values)["platform"].as<std::string>());
        if (!platform) {
            context.err << "bkcheck list: --platform must be macos, windows or linux\n";
            return k_exit_usage;
        }
        environment.platform = *platform;
    }
    // A home (or %APPDATA%, %USERPROFILE%) given on the command line that does not exist is a
    // typing error, not an empty place: exit 5, never "No backups found".
    for (const char* option : {"home", "appdata", "userprofile"}) {
        if (!values->count(option)) continue;
        const std::string folder = (*values)[option].as<std::string>();
        auto stat = real_file_system().stat(folder);
        if (!stat) {
            return report_error(Error{stat.error().code, folder,
                                      std::string("--") + option + ": " + stat.error().message},
                                context);
        }
    }
    if (values->count("home")) environment.home = (*values)["home"].as<std::string>();
    if (values->count("appdata")) environment.appdata = (*values)["appdata"].as<std::string>();
    if (values->count("userprofile"))
        environment.userprofile = (*values)["userprofile"].as<std::string>();

    std::vector<std::string> named = backup_roots(*values);
    if (named.empty() && default_backup_roots(environment).empty()) {
        context.err << "bkcheck list: this platform has no default backup folder; name one: "
                       "bkcheck list <folder>\n";
        return k_exit_usage;
    }
    auto listing = list_backups(real_file_system(), named, environment, now_seconds());
    if (!listing) return report_error(listing.error(), context);
    context.out << (json_requested(*values) ? render_list_json(*listing)
                                            : render_list_text(*listing));
    // Something this user may not read may be a backup it did not show: never exit 0 over it.
    return listing->denied() ? k_exit_io : k_exit_ok;
}

}  // namespace bkcheck::cli
