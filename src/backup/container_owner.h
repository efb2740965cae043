// Which installed app a group or plugin container belongs to, for `bkcheck usage` "By app".
//
// A backup names containers by identifier only (AppDomain-<bundle id>, AppDomainGroup-<group id>,
// AppDomainPlugin-<extension bundle id>; /work/shared/docs/format.md §1.5). Manifest.plist's
// Applications dict lists groups too ("Shared/AppGroup"), but with their own id and nothing that
// names their app; the entitlements that do are not in a backup. So the link is inferred from the
// identifiers, by these rules:
// - a plugin belongs to the app whose bundle id is the longest whole prefix of the plugin's id
//   (Apple requires an extension's bundle id to start with its app's);
// - a group belongs to the app whose bundle id shares the longest reverse-DNS prefix with the
//   group's id (after "group." / "groups." and a team id such as "243LU875E5."), provided that
//   prefix holds at least two components (the vendor, "com.example") and one app alone has it; on
//   a tie, the one app whose whole bundle id is a prefix of the group's id wins. Otherwise the
//   group is shared (Apple's group.com.apple.notes, or a vendor's group used by two of its apps).
// Components compare case-insensitively, as iOS compares bundle ids.
#pragma once

#include <functional>
#include <set>
#include <string>

namespace bkcheck {

// The owner among app_ids, or "" when no app owns it.
std::string owner_of_plugin(const std::string& plugin_id,
                            const std::set<std::string, std::less<>>& app_ids);
std::string owner_of_group(const std::string& group_id,
                           const std::set<std::string, std::less<>>& app_ids);

}  // namespace bkcheck
