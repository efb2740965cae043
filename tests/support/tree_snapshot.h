// A snapshot of a folder tree (every entry's relative name, type, size and content hash), to prove
// that an operation changed nothing: no byte, no name, no new or removed file.
#pragma once

#include "bytes.h"
#include "crypto.h"
#include "file_contents.h"

#include <filesystem>
#include <map>
#include <string>

namespace bkcheck::test {

using TreeSnapshot = std::map<std::string, std::string>;  // relative path ('/') -> "type:size:sha1"

inline TreeSnapshot snapshot_tree(const std::filesystem::path& root)
{
    TreeSnapshot snapshot;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
        // '/' between names on every platform, so tests compare and filter one form.
        std::string relative = std::filesystem::relative(entry.path(), root).generic_string();
        if (entry.is_directory()) {
            snapshot[relative] = "dir";
            continue;
        }
        std::string bytes = read_text(entry.path());
        snapshot[relative] =
            "file:" + std::to_string(bytes.size()) + ":" + to_hex(sha1(as_bytes(bytes)));
    }
    return snapshot;
}

}  // namespace bkcheck::test
