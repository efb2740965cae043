// The folder that holds backups (and their quarantine), from what the user typed: a backup folder
// (its parent), a folder of backups (itself), or a path with a trailing '/'.
#pragma once

#include "bkcheck/file_system.h"

#include <ctime>
#include <string>

namespace bkcheck::cli {

// Absolute, normalized, without a trailing '/'.
fs::path normalized_path(const std::string& typed);
fs::path backups_root(const FileSystem& file_system, const std::string& typed);

inline std::int64_t now_seconds()
{
    return static_cast<std::int64_t>(std::time(nullptr));
}

}  // namespace bkcheck::cli
