#include "bkcheck/usage.h"

#include <algorithm>
#include <cstdint>

namespace bkcheck {
namespace {

// Sizes come from the index, which a hostile or damaged backup can fill with 2^64 - 1: a total
// that wrapped would rank a huge domain as tiny, so sums stop at the largest value instead.
std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

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

void SpaceUsageTally::add(const FileRecord& record)
{
    if (record.kind != FileKind::File || !m_filter.matches(record)) return;
    auto add_to = [&](std::map<std::string, UsageEntry>& to, const std::string& name) {
        UsageEntry& entry = to[name];
        entry.name = name;
        entry.bytes = saturating_add(entry.bytes, record.size);
        entry.files += 1;
    };
    add_to(m_domains, record.domain);
    if (std::string app = app_of_domain(record.domain); !app.empty()) add_to(m_apps, app);
    m_total_bytes = saturating_add(m_total_bytes, record.size);
    m_total_files += 1;
}

SpaceUsage SpaceUsageTally::result() const
{
    return {largest_first(m_domains), largest_first(m_apps), m_total_bytes, m_total_files};
}

SpaceUsage space_usage(const ManifestIndex& index, const RecordFilter& filter)
{
    SpaceUsageTally tally(filter);
    for (const FileRecord& record : index.records) tally.add(record);
    return tally.result();
}

}  // namespace bkcheck
