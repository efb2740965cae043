// usage: space per domain and per app, largest first, as bar charts and as JSON.
#include "bkcheck/report.h"
#include "text_format.h"

#include "json_writer.h"

#include <algorithm>
#include <ostream>
#include <sstream>

namespace bkcheck {
namespace {

constexpr std::size_t k_width = 80;

// The name as shown, cut to width with "~" (the "(shared group)" note is never cut off).
std::string label(const UsageEntry& entry, std::size_t width = std::string::npos)
{
    std::string name = terminal_safe(entry.name);
    std::string note = entry.shared_group ? " (shared group)" : "";
    if (name.size() + note.size() > width) name = name.substr(0, width - note.size() - 1) + "~";
    return name + note;
}

std::size_t shown_count(const std::vector<UsageEntry>& entries, std::size_t top)
{
    return top == 0 ? entries.size() : std::min(top, entries.size());
}

void chart(const char* title, const std::vector<UsageEntry>& entries, std::size_t top,
           std::ostream& out)
{
    out << title << "\n";
    if (entries.empty()) {
        out << "  (none)\n";
        return;
    }
    std::size_t shown = shown_count(entries, top);
    std::size_t name_width = 0;
    for (std::size_t i = 0; i < shown; ++i)
        name_width = std::max(name_width, label(entries[i]).size());
    name_width = std::min<std::size_t>(name_width, 40);
    constexpr std::size_t k_size_width = 10;
    std::size_t bar_width =
        k_width > name_width + k_size_width + 6 ? k_width - name_width - k_size_width - 6 : 10;
    std::uint64_t largest = std::max<std::uint64_t>(1, entries.front().bytes);
    for (std::size_t i = 0; i < shown; ++i) {
        std::string name = label(entries[i], name_width);
        std::string size = human_bytes(entries[i].bytes);
        auto bar = static_cast<std::size_t>(
            (static_cast<long double>(entries[i].bytes) * bar_width) / largest);
        out << "  " << name << std::string(name_width - name.size() + 1, ' ')
            << std::string(k_size_width > size.size() ? k_size_width - size.size() : 0, ' ') << size
            << "  " << std::string(bar, '#') << "\n";
    }
    if (shown < entries.size()) out << "  ... " << (entries.size() - shown) << " more\n";
}

void write_entries(JsonWriter& json, const char* key, const std::vector<UsageEntry>& entries,
                   std::size_t top)
{
    json.key(key).begin_array();
    for (std::size_t i = 0; i < shown_count(entries, top); ++i) {
        const UsageEntry& entry = entries[i];
        json.begin_object()
            .key("name")
            .string(entry.name)
            .key("bytes")
            .unsigned_number(entry.bytes)
            .key("files")
            .unsigned_number(entry.files);
        if (entry.shared_group) json.key("shared_group").boolean(true);
        json.end_object();
    }
    json.end_array();
}

}  // namespace

std::string render_usage_text(const SpaceUsage& usage, std::size_t top)
{
    std::ostringstream out;
    out << "Total: " << human_bytes(usage.total_bytes) << " in "
        << count_of(usage.total_files, "file", "files") << "\n\n";
    chart("By domain:", usage.domains, top, out);
    out << "\n";
    chart("By app:", usage.apps, top, out);
    return out.str();
}

std::string render_usage_json(const SpaceUsage& usage, std::size_t top, bool index_damaged)
{
    JsonWriter json;
    json.begin_object()
        .key("schema_version")
        .unsigned_number(1)
        .key("total_bytes")
        .unsigned_number(usage.total_bytes)
        .key("total_files")
        .unsigned_number(usage.total_files);
    write_entries(json, "domains", usage.domains, top);
    write_entries(json, "apps", usage.apps, top);
    json.key("index_damaged").boolean(index_damaged);
    return json.end_object().str();
}

}  // namespace bkcheck
