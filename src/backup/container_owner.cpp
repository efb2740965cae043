#include "container_owner.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <vector>

namespace bkcheck {
namespace {

std::vector<std::string> components(std::string_view id)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        std::size_t dot = id.find('.', start);
        std::string part(id.substr(start, dot == std::string_view::npos ? dot : dot - start));
        for (char& c : part) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        parts.push_back(std::move(part));
        if (dot == std::string_view::npos) return parts;
        start = dot + 1;
    }
}

std::size_t common_prefix(const std::vector<std::string>& a, const std::vector<std::string>& b)
{
    std::size_t n = 0;
    while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
    return n;
}

// "243LU875E5.groups.com.apple.podcasts" -> com.apple.podcasts; "group.com.example" ->
// com.example.
std::vector<std::string> group_components(const std::string& group_id)
{
    std::vector<std::string> parts = components(group_id);
    auto is_team_id = [](const std::string& part) {
        return part.size() == 10 &&
               std::all_of(part.begin(), part.end(),
                           [](char c) {
                               return std::isdigit(static_cast<unsigned char>(c)) ||
                                      (c >= 'a' && c <= 'z');
                           }) &&
               std::any_of(part.begin(), part.end(),
                           [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    };
    std::size_t skip = 0;
    if (parts.size() > skip + 1 && is_team_id(parts[skip])) ++skip;
    if (parts.size() > skip + 1 && (parts[skip] == "group" || parts[skip] == "groups")) ++skip;
    parts.erase(parts.begin(), parts.begin() + static_cast<std::ptrdiff_t>(skip));
    return parts;
}

}  // namespace

std::string owner_of_plugin(const std::string& plugin_id,
                            const std::set<std::string, std::less<>>& app_ids)
{
    std::vector<std::string> plugin = components(plugin_id);
    std::string owner;
    std::size_t owner_length = 0;
    for (const std::string& app_id : app_ids) {
        std::vector<std::string> app = components(app_id);
        if (app.size() < plugin.size() && common_prefix(app, plugin) == app.size() &&
            app.size() > owner_length) {
            owner = app_id;
            owner_length = app.size();
        }
    }
    return owner;
}

std::string owner_of_group(const std::string& group_id,
                           const std::set<std::string, std::less<>>& app_ids)
{
    constexpr std::size_t k_vendor_length = 2;  // "com.example"
    std::vector<std::string> group = group_components(group_id);
    std::size_t longest = 0;
    std::vector<std::string> tied;   // the apps sharing the longest prefix
    std::vector<std::string> whole;  // of those, the ones whose whole id is that prefix
    for (const std::string& app_id : app_ids) {
        std::vector<std::string> app = components(app_id);
        std::size_t length = common_prefix(app, group);
        if (length < k_vendor_length || length < longest) continue;
        if (length > longest) {
            longest = length;
            tied.clear();
            whole.clear();
        }
        tied.push_back(app_id);
        if (length == app.size()) whole.push_back(app_id);
    }
    if (tied.size() == 1) return tied.front();
    if (whole.size() == 1) return whole.front();
    return "";
}

}  // namespace bkcheck
