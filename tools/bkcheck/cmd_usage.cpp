// bkcheck usage <dir>: space per domain and per app, largest first, as a bar chart.
#include "backup_content.h"
#include "password.h"
#include "text.h"
#include "text_format.h"

#include "bkcheck/backup_index.h"
#include "bkcheck/usage.h"
#include "json_writer.h"

#include <algorithm>
#include <limits>
#include <ostream>

namespace bkcheck::cli {
namespace {

const VerbSpec k_spec{
    "usage", "bkcheck usage [options] <dir>",
    "Show the space each domain and app takes in a backup, largest first.",
    "Sizes are the files' sizes as recorded in the index (what a restore writes). An app's entry\n"
    "holds its AppDomain- container and the group and plugin containers whose identifiers name\n"
    "it; a group no app owns is listed as a shared group. --top N limits each list (default 20;\n"
    "0: all); --json lists everything unless --top is given."};

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
           Context& context)
{
    context.out << title << "\n";
    if (entries.empty()) {
        context.out << "  (none)\n";
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
        context.out << "  " << name << std::string(name_width - name.size() + 1, ' ')
                    << std::string(k_size_width > size.size() ? k_size_width - size.size() : 0, ' ')
                    << size << "  " << std::string(bar, '#') << "\n";
    }
    if (shown < entries.size()) context.out << "  ... " << (entries.size() - shown) << " more\n";
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

int run_usage(const std::vector<std::string>& args, Context& context)
{
    po::options_description options("Options");
    options.add_options()("json", "print the sizes as JSON")(
        "top", number_in_range("top", 0, std::numeric_limits<long long>::max())->default_value(20),
        "show the N largest of each list (0: all)")("dir", po::value<std::string>()->required(),
                                                    "backup folder (positional)");
    add_filter_options(options);
    add_credential_options(options);
    po::positional_options_description positional;
    positional.add("dir", 1);
    int exit_code = k_exit_ok;
    auto values = parse_verb_options(k_spec, options, positional, args, context, exit_code);
    if (!values) return exit_code;

    FindingSink sink(50);
    auto content =
        open_backup_unlocked(*values, (*values)["dir"].as<std::string>(), false, context);
    if (!content) return report_error(content.error(), context);
    SpaceUsageTally tally(filter_from(*values));
    RecordVisitor visitor;
    visitor.record = [&tally](FileRecord&& record) { tally.add(record); };
    Status read = for_each_backup_record(real_file_system(), content->backup, content->class_keys(),
                                         sink, visitor);
    if (!read) return report_error(read.error(), context);
    SpaceUsage usage = tally.result();
    auto top = static_cast<std::size_t>((*values)["top"].as<long long>());
    if (values->count("json")) {
        if ((*values)["top"].defaulted()) top = 0;
        JsonWriter json;
        json.begin_object()
            .key("total_bytes")
            .unsigned_number(usage.total_bytes)
            .key("total_files")
            .unsigned_number(usage.total_files);
        write_entries(json, "domains", usage.domains, top);
        write_entries(json, "apps", usage.apps, top);
        json.key("index_damaged").boolean(sink.count(Severity::Error) != 0);
        context.out << json.end_object().str() << "\n";
        return report_partial_index(sink, content->backup.path, context);
    }
    context.out << "Total: " << human_bytes(usage.total_bytes) << " in "
                << count_of(usage.total_files, "file", "files") << "\n\n";
    chart("By domain:", usage.domains, top, context);
    context.out << "\n";
    chart("By app:", usage.apps, top, context);
    return report_partial_index(sink, content->backup.path, context);
}

}  // namespace bkcheck::cli
