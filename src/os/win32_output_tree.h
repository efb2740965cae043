// The Windows body of WritableFileSystem::open_output_tree (win32_output_tree.cpp).
#pragma once

#include "bkcheck/file_system.h"
#include "output_tree.h"

namespace bkcheck::detail {

// Opens (creating when missing and allowed) the folder `root`. Its own path may go through links
// (the user chose it); nothing below it will.
Result<std::unique_ptr<OutputTree>> open_output_tree_win32(const fs::path& root,
                                                           const OutputTreeOptions& options);

}  // namespace bkcheck::detail
