// The POSIX body of WritableFileSystem::write_output_file (posix_output_file.cpp).
#pragma once

#include "bkcheck/file_system.h"

namespace bkcheck::detail {

Status write_output_file_posix(const fs::path& path, ByteView bytes,
                               const OutputFileOptions& options);

}  // namespace bkcheck::detail
