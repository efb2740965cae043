// Probing how OUT's disk treats names (name_probe.h).
#include "name_probe.h"

#include <algorithm>
#include <chrono>

namespace bkcheck {
namespace {

// A name no record and no other run uses: the clock in nanoseconds.
std::string probe_stem()
{
    auto now = std::chrono::steady_clock::now().time_since_epoch();
    return ".bkcheck-probe-" +
           std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count());
}

// Creates the empty file `name` in OUT; false when the disk refuses that name (InvalidArgument).
Result<bool> create_probe(OutputTree& tree, const std::string& name)
{
    auto file = tree.create_file({name});
    if (!file) {
        if (file.error().code == ErrorCode::InvalidArgument) return false;
        return std::move(file).error();
    }
    if (auto status = (*file)->commit(0600, 0); !status) {
        if (status.error().code == ErrorCode::InvalidArgument) return false;
        return status.error();
    }
    return true;
}

}  // namespace

Result<NameRules> probe_name_rules(OutputTree& tree)
{
    NameRules rules;
    std::string stem = probe_stem();
    std::string name = stem + "-Ab\xC3\x85";  // Å precomposed (NFC)
    auto created = create_probe(tree, name);
    if (!created) return std::move(created).error();
    if (*created) {
        std::string decomposed = stem + "-AbA\xCC\x8A";  // A and a combining ring (NFD)
        rules.fold_case = tree.exists({stem + "-aB\xC3\x85"});
        rules.fold_normalisation = tree.exists({decomposed});
        auto listed = tree.list_names({});
        if (!listed) return std::move(listed).error();
        auto has = [&](const std::string& wanted) {
            return std::find(listed->begin(), listed->end(), wanted) != listed->end();
        };
        rules.stores_decomposed = !has(name) && has(decomposed);
        BK_TRY(tree.remove_file({name}));
    } else {
        // A disk that refuses even a precomposed letter wants more than any rule here knows.
        rules = portable_name_rules();
    }
    std::string windows = stem + "-:*?";
    auto windows_created = create_probe(tree, windows);
    if (!windows_created) return std::move(windows_created).error();
    if (*windows_created)
        BK_TRY(tree.remove_file({windows}));
    else
        rules.windows_names = true;
    return rules;
}

Result<NameRules> name_rules_for(OutputTree& tree, OutputNames names)
{
    auto probed = probe_name_rules(tree);
    if (!probed) return probed;
    if (names == OutputNames::Native) return probed;
    NameRules rules = portable_name_rules();
    rules.stores_decomposed = probed->stores_decomposed;
    return rules;
}

namespace {

constexpr std::string_view k_rules_marker = ".bkcheck-names-";

std::string rules_code(const NameRules& rules)
{
    std::string code;
    if (rules.fold_case) code += 'c';
    if (rules.fold_normalisation) code += 'n';
    if (rules.windows_names) code += 'w';
    return code.empty() ? "plain" : code;
}

}  // namespace

Status claim_naming_rules(OutputTree& tree, const NameRules& rules, OutputNames names)
{
    std::string ours = std::string(k_rules_marker) + rules_code(rules);
    auto existing = tree.list_names({});
    if (!existing) return existing.error();
    bool claimed = false;
    for (const std::string& name : *existing) {
        if (name.rfind(k_rules_marker, 0) != 0) continue;
        if (name == ours) {
            claimed = true;
            continue;
        }
        return make_error(
            ErrorCode::InvalidArgument, "OUT/" + name,
            "an earlier extract wrote this folder under other name rules (" +
                name.substr(k_rules_marker.size()) + ", this run " + rules_code(rules) +
                (names == OutputNames::Portable ? ", --names portable" : ", --names native") +
                "): a file written then could be taken for another record's; extract into "
                "another folder, or with the --names of that run");
    }
    if (claimed) return Ok{};
    auto marker = tree.create_file({ours});
    if (!marker) return marker.error();
    return (*marker)->commit(0644, 0);
}

}  // namespace bkcheck
