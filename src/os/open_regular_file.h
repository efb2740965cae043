// The one way bkcheck opens a file of a backup for reading (defined in real_file_system.cpp).
#pragma once

#include "bkcheck/status.h"

#include <filesystem>

namespace bkcheck::detail {

// A read-only descriptor (the caller closes it) of a regular file. A backup folder can hold
// anything: a FIFO would block open() and read() forever and a link to a device (/dev/zero) would
// never end, so anything but a regular file is an Io error naming what it is.
Result<int> open_regular_file(const std::filesystem::path& path);

// The same test for a file another library opens by name (SQLite): NotFound, the Io error above, or
// Ok.
Status require_regular_file(const std::filesystem::path& path);

}  // namespace bkcheck::detail
