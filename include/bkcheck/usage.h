// Space per domain and per app (bkcheck usage): running out of space is the first cause of failed
// backups, so show what takes it. Sizes are the records' plaintext sizes (what a restore writes).
#pragma once

#include "bkcheck/backup_index.h"
#include "bkcheck/manifest.h"

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace bkcheck {

struct UsageEntry {
    std::string
        name;  // a domain, or for apps the identifier after "AppDomain-" / "AppDomainGroup-" / ...
    std::uint64_t bytes = 0;
    std::uint64_t files = 0;
    bool shared_group = false;  // apps only: a group container no installed app owns
};

struct SpaceUsage {
    std::vector<UsageEntry> domains;  // largest first (then by name)
    // Per app (AppDomain-<bundle id>), its group and plugin containers included; a group no app
    // owns is an entry of its own (shared_group), as is a plugin whose app is not in the backup.
    // Which app owns a container is inferred from the identifiers (src/backup/container_owner.h).
    std::vector<UsageEntry> apps;
    std::uint64_t total_bytes = 0;
    std::uint64_t total_files = 0;
};

// The app identifier a domain belongs to, or "" for a system domain.
std::string app_of_domain(const std::string& domain);

// Sums the records handed to add() one by one, so a whole index never has to be held (bkcheck usage
// streams the index through it): memory grows with the number of domains, not of records.
class SpaceUsageTally {
public:
    explicit SpaceUsageTally(RecordFilter filter = {}) : m_filter(std::move(filter)) {}
    void add(const FileRecord& record);
    SpaceUsage result() const;

private:
    RecordFilter m_filter;
    std::map<std::string, UsageEntry> m_domains;  // by domain; apps are made from these at the end
    std::set<std::string, std::less<>>
        m_app_ids;  // every AppDomain- identifier, whether the filter takes it or not
    std::uint64_t m_total_bytes = 0;
    std::uint64_t m_total_files = 0;
};

SpaceUsage space_usage(const ManifestIndex& index, const RecordFilter& filter = {});

}  // namespace bkcheck
