#include "bkcheck/usage.h"

#include "container_owner.h"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <utility>

namespace bkcheck {
namespace {

// Sizes come from the index, which a hostile or damaged backup can fill with 2^64 - 1: a total
// that wrapped would rank a huge domain as tiny, so sums stop at the largest value instead.
std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

template <typename Key>
std::vector<UsageEntry> largest_first(const std::map<Key, UsageEntry>& entries)
{
    std::vector<UsageEntry> sorted;
    for (const auto& [name, entry] : entries) sorted.push_back(entry);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const UsageEntry& a, const UsageEntry& b) { return a.bytes > b.bytes; });
    return sorted;
}

constexpr std::string_view k_app_prefix = "AppDomain-";
constexpr std::string_view k_group_prefix = "AppDomainGroup-";
constexpr std::string_view k_plugin_prefix = "AppDomainPlugin-";

bool has_prefix(const std::string& domain, std::string_view prefix)
{
    return domain.size() > prefix.size() && domain.compare(0, prefix.size(), prefix) == 0;
}

void add_entry(UsageEntry& to, const UsageEntry& from)
{
    to.bytes = saturating_add(to.bytes, from.bytes);
    to.files += from.files;
}

}  // namespace

std::string app_of_domain(const std::string& domain)
{
    // Longest prefix first: "AppDomain-" is a prefix of the other two.
    for (std::string_view prefix : {k_group_prefix, k_plugin_prefix, k_app_prefix}) {
        if (has_prefix(domain, prefix)) return domain.substr(prefix.size());
    }
    return "";
}

void SpaceUsageTally::add(const FileRecord& record)
{
    // An app's containers may be filtered out while its groups are asked for: an app is installed
    // whatever the filter says (each app's container has at least its root folder record).
    if (has_prefix(record.domain, k_app_prefix)) {
        std::string_view id = std::string_view(record.domain).substr(k_app_prefix.size());
        if (m_app_ids.find(id) == m_app_ids.end()) m_app_ids.emplace(id);
    }
    if (record.kind != FileKind::File || !m_filter.matches(record)) return;
    UsageEntry& entry = m_domains[record.domain];
    entry.name = record.domain;
    entry.bytes = saturating_add(entry.bytes, record.size);
    entry.files += 1;
    m_total_bytes = saturating_add(m_total_bytes, record.size);
    m_total_files += 1;
}

SpaceUsage SpaceUsageTally::result() const
{
    // Each container domain goes to its app's entry (or one of its own), by the rules of
    // container_owner.h.
    std::map<std::pair<std::string, bool>, UsageEntry> apps;  // by (name, shared_group)
    for (const auto& [domain, sums] : m_domains) {
        std::string id = app_of_domain(domain);
        if (id.empty()) continue;
        std::string owner = id;
        bool shared_group = false;
        if (has_prefix(domain, k_group_prefix)) {
            owner = owner_of_group(id, m_app_ids);
            shared_group = owner.empty();
        } else if (has_prefix(domain, k_plugin_prefix)) {
            owner = owner_of_plugin(id, m_app_ids);
        }
        if (owner.empty()) owner = id;
        UsageEntry& entry = apps[{owner, shared_group}];
        entry.name = owner;
        entry.shared_group = shared_group;
        add_entry(entry, sums);
    }
    return {largest_first(m_domains), largest_first(apps), m_total_bytes, m_total_files};
}

SpaceUsage space_usage(const ManifestIndex& index, const RecordFilter& filter)
{
    SpaceUsageTally tally(filter);
    for (const FileRecord& record : index.records) tally.add(record);
    return tally.result();
}

}  // namespace bkcheck
