#include "bkcheck/usage.h"

#include <algorithm>
#include <map>

namespace bkcheck {
namespace {

std::vector<UsageEntry> largest_first(const std::map<std::string, UsageEntry>& entries)
{
    std::vector<UsageEntry> sorted;
    for (const auto& [name, entry] : entries) sorted.push_back(entry);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const UsageEntry& a, const UsageEntry& b) { return a.bytes > b.bytes; });
    return sorted;
}

}  // namespace

std::string app_of_domain(const std::string& domain)
{
    // Longest prefix first: "AppDomain-" is a prefix of the other two.
    for (std::string_view prefix : {"AppDomainGroup-", "AppDomainPlugin-", "AppDomain-"}) {
        if (domain.size() > prefix.size() && domain.compare(0, prefix.size(), prefix) == 0) {
            return domain.substr(prefix.size());
        }
    }
    return "";
}

SpaceUsage space_usage(const ManifestIndex& index, const RecordFilter& filter)
{
    std::map<std::string, UsageEntry> domains;
    std::map<std::string, UsageEntry> apps;
    SpaceUsage usage;
    for (const FileRecord& record : index.records) {
        if (record.kind != FileKind::File || !filter.matches(record)) continue;
        auto add = [&](std::map<std::string, UsageEntry>& to, const std::string& name) {
            UsageEntry& entry = to[name];
            entry.name = name;
            entry.bytes += record.size;
            entry.files += 1;
        };
        add(domains, record.domain);
        if (std::string app = app_of_domain(record.domain); !app.empty()) add(apps, app);
        usage.total_bytes += record.size;
        usage.total_files += 1;
    }
    usage.domains = largest_first(domains);
    usage.apps = largest_first(apps);
    return usage;
}

}  // namespace bkcheck
