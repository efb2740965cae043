// Claiming names under OUT for one run (output_names.h).
#include "output_names.h"

#include "bkcheck/manifest.h"

#include <functional>

namespace bkcheck {
namespace {

// Keys are 64-bit hashes of "folder\0name": with a million names a false match has a chance near
// 1e-7, and it could only make a name distinct that did not need to be, or (owners) share a key.
std::uint64_t hash_of(std::string_view folder, std::string_view name)
{
    std::string text;
    text.reserve(folder.size() + name.size() + 1);
    text.append(folder).append(1, '\0').append(name);
    return std::hash<std::string>{}(text);
}

// The owner of a name: the original domain and path it stands for (never 0, which is "the disk").
std::uint64_t owner_of(const std::vector<std::string>& original, std::size_t index)
{
    std::vector<std::string> prefix(original.begin(),
                                    original.begin() + static_cast<std::ptrdiff_t>(index + 1));
    std::uint64_t owner = hash_of("owner", joined_components(prefix));
    return owner == 0 ? 1 : owner;
}

// The tag of a distinct name: the start of the fileID that the original domain and path give.
std::string tag_of(const std::vector<std::string>& original, std::size_t index, std::size_t digits)
{
    std::vector<std::string> path(original.begin() + 1,
                                  original.begin() + static_cast<std::ptrdiff_t>(index + 1));
    return file_id_for(original.front(), joined_components(path)).substr(0, digits);
}

bool is_own_temporary(std::string_view name)
{
    return name.starts_with(k_partial_prefix) || name.starts_with(".bkcheck-probe-");
}

}  // namespace

std::string joined_components(const std::vector<std::string>& components)
{
    std::string text;
    for (const std::string& part : components) text += (text.empty() ? "" : "/") + part;
    return text;
}

Result<NamePlacement> OutputNamer::place(const std::vector<std::string>& original, bool is_folder)
{
    NamePlacement placement;
    // Two file (or link) records of one domain and path: the second would replace the first.
    if (!is_folder && m_overwrite &&
        !m_records.insert(owner_of(original, original.size() - 1)).second) {
        placement.problem =
            "another record of this backup with the same domain and path was written to this "
            "name already: not written";
        return placement;
    }
    if (!m_rules.changes_names()) {
        placement.components = original;
        return placement;
    }
    for (std::size_t index = 0; index < original.size(); ++index) {
        auto name = name_in(placement.components, original, index, placement);
        if (!name) return std::move(name).error();
        if (name->empty()) {
            placement.problem = "no free name for \"" + original[index] +
                                "\" in its folder (every distinct name is taken): not written";
            return placement;
        }
        placement.components.push_back(std::move(*name));
    }
    return placement;
}

Result<std::string> OutputNamer::name_in(const std::vector<std::string>& parent,
                                         const std::vector<std::string>& original,
                                         std::size_t index, NamePlacement& placement)
{
    std::uint64_t owner = owner_of(original, index);
    if (auto known = m_distinct.find(owner); known != m_distinct.end()) {
        placement.made_distinct = true;
        return known->second;
    }
    std::string parent_path = joined_components(parent);
    BK_TRY(list_once(parent, parent_path));
    std::string candidate = escape_component(original[index], m_rules);
    if (candidate != original[index]) placement.escaped = true;
    if (candidate.size() <= k_max_name_bytes && try_claim(parent_path, candidate, owner))
        return candidate;
    for (std::size_t digits : {8, 16, 40}) {
        std::string distinct = distinct_name(candidate, tag_of(original, index, digits));
        if (!try_claim(parent_path, distinct, owner)) continue;
        // Too long is not a collision: only shortened.
        if (candidate.size() > k_max_name_bytes)
            placement.escaped = true;
        else
            placement.made_distinct = true;
        m_distinct.emplace(owner, distinct);
        return distinct;
    }
    return std::string();
}

bool OutputNamer::try_claim(const std::string& parent_path, const std::string& name,
                            std::uint64_t owner)
{
    auto [claim, fresh] = m_claims.emplace(hash_of(parent_path, fold_key(name, m_rules)), owner);
    if (fresh || claim->second == owner) return true;
    // Held by an entry found on the disk: ours to use only when it is this very name (then extract
    // keeps it, or replaces it with --overwrite, as for any name); else the disk would merge them.
    if (claim->second == 0 && m_on_disk.count(hash_of(parent_path, stored_form(name, m_rules)))) {
        claim->second = owner;
        return true;
    }
    return false;
}

Status OutputNamer::list_once(const std::vector<std::string>& parent,
                              const std::string& parent_path)
{
    if (!m_listed.insert(hash_of("listed", parent_path)).second) return Ok{};
    auto names = m_tree.list_names(parent);
    if (!names) {
        // A folder on the way that is a symlink or a file: the write itself refuses it.
        if (names.error().code == ErrorCode::InvalidArgument) return Ok{};
        return names.error();
    }
    for (const std::string& name : *names) {
        if (is_own_temporary(name)) continue;
        m_claims.emplace(hash_of(parent_path, fold_key(name, m_rules)), 0);
        m_on_disk.insert(hash_of(parent_path, stored_form(name, m_rules)));
    }
    return Ok{};
}

}  // namespace bkcheck
