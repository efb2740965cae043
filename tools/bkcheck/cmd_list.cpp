// bkcheck list [ROOT...]: one row per backup found in the default places or the folders named.
#include "backups_root.h"
#include "in_use_json.h"
#include "text.h"
#include "text_format.h"
#include "verb.h"

#include "bkcheck/backup.h"
#include "json_writer.h"

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

struct Row {
    fs::path path;
    std::optional<Backup> backup;  // absent when the folder could not be opened at all
    std::string problem;
    bool denied = false;  // this user may not read the folder or one of its plists (access.denied)
    bool place = false;   // a default place that could not be listed, not a backup
    std::string fix;      // for a place the OS's privacy protection denies: what grants access
    std::string archived_at;
    std::uint64_t size = 0;
    std::optional<InUse> in_use;  // shown, never judged
};

std::optional<Platform> parse_platform(const std::string& name)
{
    if (name == "macos") return Platform::MacOS;
    if (name == "windows") return Platform::Windows;
    if (name == "linux") return Platform::Linux;
    return std::nullopt;
}

void print_rows_json(const std::vector<Row>& rows, const std::vector<std::string>& searched,
                     std::ostream& out)
{
    JsonWriter json;
    json.begin_object().key("searched").begin_array();
    for (const std::string& root : searched) json.string(root);
    json.end_array().key("backups").begin_array();
    for (const Row& row : rows) {
        json.begin_object().key("path").string(row.path.string());
        if (row.backup) {
            const Backup& backup = *row.backup;
            json.key("udid")
                .string_or_null(backup.udid())
                .key("device_name")
                .string_or_null(backup.device_name())
                .key("product_type")
                .string_or_null(backup.product_type())
                .key("product_version")
                .string_or_null(backup.product_version())
                .key("last_backup_date")
                .time_or_null(backup.info.ok() ? backup.info.value.last_backup_date : std::nullopt)
                .key("size_bytes")
                .unsigned_number(row.size)
                .key("encrypted");
            if (backup.encryption_known())
                json.boolean(backup.encrypted);
            else
                json.null();
            json.key("format")
                .string(backup_format_name(backup.format))
                .key("state")
                .string(backup_state_name(backup.state()));
            write_in_use_json(json, row.in_use);
            if (row.denied) json.key("problem").string(row.problem);
        } else {
            json.key("state")
                .string(row.denied ? "access denied" : "unreadable")
                .key("problem")
                .string(row.problem);
            if (row.place)
                json.key("default_place").boolean(true);  // the folder searched, not a backup
            if (!row.fix.empty()) json.key("fix").string(row.fix);
        }
        json.key("archived_at").string_or_null(row.archived_at).end_object();
    }
    json.end_array().end_object();
    out << json.str();
}

void print_rows_text(const std::vector<Row>& rows, const std::vector<std::string>& searched,
                     std::ostream& out)
{
    if (rows.empty()) {
        out << "No backups found in:\n";
        for (const std::string& root : searched) out << "  " << terminal_safe(root) << "\n";
        return;
    }
    for (const Row& row : rows) {
        // Every name here comes from the backup (folder, plists): each through terminal_safe.
        out << terminal_safe(row.path.string()) << "\n";
        if (!row.backup) {
            out << (row.denied ? "  access denied: " : "  unreadable: ")
                << terminal_safe(row.problem) << "\n";
            if (!row.fix.empty()) out << "  what to do: " << terminal_safe(row.fix) << "\n";
            continue;
        }
        const Backup& backup = *row.backup;
        out << "  " << terminal_safe(or_unknown(backup.device_name())) << " ("
            << terminal_safe(or_unknown(backup.product_type())) << ", iOS "
            << terminal_safe(or_unknown(backup.product_version())) << ")\n"
            << "  last backup "
            << human_time(backup.info.ok() ? backup.info.value.last_backup_date : std::nullopt)
            << ", " << human_bytes(row.size) << ", " << backup.encryption_text() << ", "
            << backup_state_name(backup.state());
        if (!row.archived_at.empty()) out << ", archived copy " << terminal_safe(row.archived_at);
        out << "\n";
        if (row.in_use) out << "  " << in_use_text(*row.in_use) << "\n";
        if (row.denied) out << "  access denied: " << terminal_safe(row.problem) << "\n";
    }
    auto backups =
        std::count_if(rows.begin(), rows.end(), [](const Row& row) { return !row.place; });
    out << count_of(static_cast<std::uint64_t>(backups), "backup", "backups") << "\n";
}

}  // namespace

int run_list(const std::vector<std::string>& args, Context& context)
{
    po::options_description options("Options");
    options.add_options()("json", "print JSON")(
        "platform", po::value<std::string>(),
        "whose default places to search: macos, windows or linux (default: this machine's)")(
        "home", po::value<std::string>(), "home folder to search (default: $HOME)")(
        "appdata", po::value<std::string>(), "Windows %APPDATA% to search (default: $APPDATA)")(
        "userprofile", po::value<std::string>(),
        "Windows %USERPROFILE% to search (default: $USERPROFILE)")(
        "root", po::value<std::vector<std::string>>(),
        "a backup or folder of backups (positional)");
    po::positional_options_description positional;
    positional.add("root", -1);
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

    const FileSystem& file_system = real_file_system();
    std::vector<std::string> searched;
    std::vector<fs::path> found;
    std::vector<Row> rows;
    if (values->count("root")) {
        // Folders the user named must exist: a typo is an error, not "no backups".
        for (const std::string& root : (*values)["root"].as<std::vector<std::string>>()) {
            searched.push_back(root);
            auto backups = backups_in_named_root(file_system, root);
            if (!backups) return report_error(backups.error(), context);
            found.insert(found.end(), backups->begin(), backups->end());
        }
    } else {
        auto roots = default_backup_roots(environment);
        if (roots.empty()) {
            context.err << "bkcheck list: this platform has no default backup folder; name one: "
                           "bkcheck list <folder>\n";
            return k_exit_usage;
        }
        for (const BackupRoot& root : roots) {
            searched.push_back(root.path.string());
            // A default place that does not exist just holds no backups; one this user may not list
            // (macOS without Full Disk Access) may hold many: a row that says so, never "No
            // backups".
            auto backups = find_backups(file_system, root.path);
            if (backups) {
                found.insert(found.end(), backups->begin(), backups->end());
            } else if (backups.error().code != ErrorCode::NotFound) {
                Row row;
                row.path = root.path;
                row.problem = backups.error().message;
                row.denied = is_permission_error(backups.error());
                row.place = true;
                if (row.denied && !root.access_setting.empty()) {
                    row.fix = "macOS protects this folder: allow your terminal in " +
                              std::string(root.access_setting) + ", then run bkcheck list again";
                }
                rows.push_back(std::move(row));
            }
        }
    }

    std::int64_t now = now_seconds();
    for (const fs::path& path : found) {
        Row row;
        row.path = path;
        row.archived_at = parse_backup_folder_name(path.filename().string()).archived_at;
        auto backup = open_backup(file_system, path);
        if (backup) {
            row.backup = std::move(*backup);
            row.size = size_on_disk(file_system, path);
            row.in_use = backup_in_use(file_system, *row.backup, now);
            if (std::vector<std::string> names = row.backup->denied_plists(); !names.empty()) {
                row.denied = true;
                for (const std::string& name : names)
                    row.problem += (row.problem.empty() ? "" : ", ") + name;
                row.problem += std::string(": this user may not read ") +
                               (names.size() == 1 ? "it" : "them") +
                               " (not damage; ls -l shows the owner)";
            }
        } else {
            row.problem = backup.error().message;
            row.denied = is_permission_error(backup.error());
        }
        rows.push_back(std::move(row));
    }
    if (values->count("json")) {
        print_rows_json(rows, searched, context.out);
    } else {
        print_rows_text(rows, searched, context.out);
    }
    // Something this user may not read may be a backup it did not show: never exit 0 over it.
    bool denied = std::any_of(rows.begin(), rows.end(), [](const Row& row) { return row.denied; });
    return denied ? k_exit_io : k_exit_ok;
}

}  // namespace bkcheck::cli
