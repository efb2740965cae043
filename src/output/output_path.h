// Where extract and export write, and the one place that decides what backup content is hostile.
//
// A backup's names come from the device and can be crafted: "../" in a path, an absolute path, a
// NUL, a fileID that is not 40 hex digits, a symlink record followed by a file record whose path
// walks through it (mvt advisory GHSA-5h3g-px23-w6vw). Names are first checked as strings here;
// then they are written through an OutputTree (output_tree.h, opened by
// WritableFileSystem::open_output_tree), which never walks through a symlink inside OUT.
#pragma once

#include "bkcheck/file_system.h"
#include "bkcheck/status.h"
#include "bytes.h"
#include "output_tree.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bkcheck {

namespace fs = std::filesystem;

// Why a fileID cannot name a blob ("" when it is 40 lowercase hex digits).
std::string file_id_problem(std::string_view file_id);

// Why domain/relativePath cannot be written under OUT ("" when it can): an empty or "."/".."
// domain, a domain with "/", an absolute path, a "." / ".." / empty component, a NUL, a component
// longer than 255 bytes. An empty relativePath is the domain's own folder.
std::string output_name_problem(std::string_view domain, std::string_view relative_path);

// The components of a checked name: {domain, dir, ..., leaf}.
std::vector<std::string> output_components(std::string_view domain, std::string_view relative_path);

// Whether a symlink at `link_components` (as output_components returns, the last one is the link)
// with `target` resolves inside OUT. Absolute targets never do. ".." may only lead the target (at
// most as many as the link's depth): a ".." after a name could climb out of a directory another
// symlink led into, which no string check can follow.
bool symlink_target_stays_inside(const std::vector<std::string>& link_components,
                                 std::string_view target);

// InvalidArgument when `out` is the backup folder or inside it, or inside any other backup folder:
// extract and export never write a byte into a backup. The disk is asked too (backup_holding), so
// a path spelt in another case on a disk that folds case is found.
Status check_output_outside_backup(const FileSystem& file_system, const fs::path& out,
                                   const fs::path& backup_dir);

}  // namespace bkcheck
