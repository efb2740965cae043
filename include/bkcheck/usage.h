// Space per domain and per app (bkcheck usage): running out of space is the first cause of failed
// backups, so show what takes it. Sizes are the records' plaintext sizes (what a restore writes).
#pragma once

#include "bkcheck/manifest.h"
#include "bkcheck/record_filter.h"

#include <cstdint>
#include <string>
#include <vector>

namespace bkcheck {

struct UsageEntry {
    std::string name;  // a domain, or for apps the identifier after "AppDomain-" / "AppDomainGroup-" / ...
    std::uint64_t bytes = 0;
    std::uint64_t files = 0;
};

struct SpaceUsage {
    std::vector<UsageEntry> domains;  // largest first (then by name)
    std::vector<UsageEntry> apps;     // AppDomain-*, AppDomainGroup-*, AppDomainPlugin-* by identifier
    std::uint64_t total_bytes = 0;
    std::uint64_t total_files = 0;
};

// The app identifier a domain belongs to, or "" for a system domain.
std::string app_of_domain(const std::string& domain);

SpaceUsage space_usage(const ManifestIndex& index, const RecordFilter& filter = {});

}  // namespace bkcheck
