// Where each record lands under OUT in one run of extract, so that no two records share a file on
// the disk OUT is on (or, with --names portable, on any disk the copy is moved to).
//
// A name is escaped (portable_names.h) and then claimed in its folder under the key the disk
// compares names by. A key already claimed by another record of this run, or held on the disk by an
// entry whose stored name is not this very name (sms.db on disk, SMS.db to write), makes the name
// distinct: "SMS%~<tag>.db", the tag being the first hex digits of the fileID that domain and path
// give (longer when even that is taken). The tag depends only on the record, never on the order of
// the records or on a filter, so a later run with --overwrite replaces a file only where that same
// record wrote it: an entry whose stored name is exactly the one to write.
//
// Memory: when the rules change names, a few dozen bytes per folder entry claimed (64-bit hashes
// of keys, a string only for the names made distinct); with --overwrite, one hash per file or link
// record. Otherwise (a Linux disk, native, no --overwrite) nothing per record.
#pragma once

#include "output_path.h"
#include "portable_names.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace bkcheck {

struct NamePlacement {
    std::vector<std::string> components;  // as written under OUT
    bool escaped = false;                 // a component was escaped or shortened
    bool made_distinct = false;           // a component took bkcheck's "%~<tag>" mark
    std::string problem;                  // not empty: the record cannot be written (why)
    bool renamed() const { return escaped || made_distinct; }
};

// "a/b/c" for components {a, b, c}.
std::string joined_components(const std::vector<std::string>& components);

class OutputNamer {
public:
    // `overwrite`: the tree replaces existing files, so a second record of one domain and path
    // must be stopped here (without it the tree refuses the second as existing, and nothing per
    // record need be kept when the rules change no name).
    OutputNamer(OutputTree& tree, NameRules rules, bool overwrite)
        : m_tree(tree), m_rules(rules), m_overwrite(overwrite)
    {
    }

    // The name for a record whose name is `original` (output_components: domain first); `is_folder`
    // for a folder record (two folder records of one name are one folder). An error only when OUT
    // cannot be listed (Io).
    Result<NamePlacement> place(const std::vector<std::string>& original, bool is_folder);

private:
    // The written name of original[index] in the folder `parent` (written components).
    Result<std::string> name_in(const std::vector<std::string>& parent,
                                const std::vector<std::string>& original, std::size_t index,
                                NamePlacement& placement);
    bool try_claim(const std::string& parent_path, const std::string& name, std::uint64_t owner);
    Status list_once(const std::vector<std::string>& parent, const std::string& parent_path);

    OutputTree& m_tree;
    NameRules m_rules;
    bool m_overwrite;
    std::unordered_set<std::uint64_t> m_listed;                 // written folders read from disk
    std::unordered_map<std::uint64_t, std::uint64_t> m_claims;  // folder + key -> owner (0: disk)
    std::unordered_set<std::uint64_t> m_on_disk;                // folder + stored name
    std::unordered_map<std::uint64_t, std::string> m_distinct;  // original prefix -> its name
    std::unordered_set<std::uint64_t> m_records;                // originals of files and links
};

}  // namespace bkcheck
