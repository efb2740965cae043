// unlock: what unlocking (or --hash-line) found, in words and as JSON.
#include "bkcheck/report.h"

#include "bkcheck/path_text.h"
#include "json_writer.h"

namespace bkcheck {

std::string render_unlock_text(const UnlockReport& report)
{
    if (!report.hash_line.empty()) return report.hash_line + "\n";
    if (!report.encrypted) return "This backup is not encrypted: there is nothing to unlock.\n";
    std::string out;
    if (!report.key_saved_to.empty())
        out += "Saved the key to " + terminal_safe(report.key_saved_to) + "\n";
    return out + "The password unlocks this backup (" + std::to_string(report.class_keys) +
           " protection classes).\n";
}

std::string render_unlock_json(const UnlockReport& report)
{
    bool unlocked = report.encrypted && report.hash_line.empty();
    JsonWriter json;
    json.begin_object()
        .key("schema_version")
        .unsigned_number(1)
        .key("backup")
        .string(path_text(report.backup))
        .key("encrypted")
        .boolean(report.encrypted)
        .key("hash_line")
        .string_or_null(report.hash_line)
        .key("unlocked")
        .boolean(unlocked)
        .key("class_keys")
        .unsigned_number(report.class_keys)
        .key("key_saved_to")
        .string_or_null(report.key_saved_to);
    return json.end_object().str();
}

}  // namespace bkcheck
