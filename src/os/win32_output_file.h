// The Windows body of WritableFileSystem::write_output_file (win32_output_file.cpp).
#pragma once

#include "bkcheck/file_system.h"

namespace bkcheck::detail {

Status write_output_file_win32(const fs::path& path, ByteView bytes,
                               const OutputFileOptions& options);

}  // namespace bkcheck::detail
