// list: one row per backup found, in words and as JSON.
#include "bkcheck/report.h"
#include "device_json.h"
#include "in_use_json.h"
#include "text_format.h"

#include "bkcheck/path_text.h"
#include "json_writer.h"

#include <algorithm>
#include <sstream>

namespace bkcheck {

std::string render_list_json(const BackupListing& listing)
{
    const std::vector<ListedBackup>& rows = listing.rows;
    const std::vector<std::string>& searched = listing.searched;
    JsonWriter json;
    json.begin_object().key("schema_version").unsigned_number(1).key("searched").begin_array();
    for (const std::string& root : searched) json.string(root);
    json.end_array().key("backups").begin_array();
    for (const ListedBackup& row : rows) {
        json.begin_object().key("path").string(path_text(row.path));
        if (row.backup) {
            const Backup& backup = *row.backup;
            write_device_json(json, backup);
            json.key("last_backup_date")
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
    return json.str();
}

std::string render_list_text(const BackupListing& listing)
{
    const std::vector<ListedBackup>& rows = listing.rows;
    const std::vector<std::string>& searched = listing.searched;
    std::ostringstream out;
    if (rows.empty()) {
        out << "No backups found in:\n";
        for (const std::string& root : searched) out << "  " << terminal_safe(root) << "\n";
        return out.str();
    }
    for (const ListedBackup& row : rows) {
        // Every name here comes from the backup (folder, plists): each through terminal_safe.
        out << terminal_safe(path_text(row.path)) << "\n";
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
        std::count_if(rows.begin(), rows.end(), [](const ListedBackup& row) { return !row.place; });
    out << count_of(static_cast<std::uint64_t>(backups), "backup", "backups") << "\n";
    return out.str();
}

}  // namespace bkcheck
