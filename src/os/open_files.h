// Which running processes hold a file inside a folder open: the surest sign that a backup is being
// written right now (idevicebackup2, AppleMobileBackup, MobileDeviceHelper...), whatever the files'
// times say. Asked of the OS through the FileSystem seam, so tests fake it with a made-up /proc.
#pragma once

#include "bkcheck/status.h"
#include "bkcheck/file_system.h"

#include <cstdint>
#include <string>
#include <vector>

namespace bkcheck {

struct OpenFileHolder {
    std::int64_t pid = 0;
    std::string process;  // its name as the OS gives it (/proc/<pid>/comm), e.g. "idevicebackup2"
    fs::path file;        // the open file, as the OS names it (symlinks resolved)
};

// Every process but this one holding a file inside `folder` (or `folder` itself) open, by pid; one
// entry per process (its first such file). Processes this user may not inspect (other users' fds),
// and ones that end while being looked at, are skipped silently. Unsupported when this OS cannot
// tell (no /proc: macOS and Windows for now; proc_pidinfo would do it on macOS).
Result<std::vector<OpenFileHolder>> processes_holding_files_in(const FileSystem& file_system,
                                                               const fs::path& folder);

// The Linux way, over a proc file system mounted at `proc` (/proc; a test passes its own): for each
// <pid>/fd/<n> link, the target; <pid>/comm for the name. Unsupported when `proc` cannot be listed.
Result<std::vector<OpenFileHolder>> processes_holding_files_in_proc(const FileSystem& file_system,
                                                                    const fs::path& proc,
                                                                    const fs::path& folder);

}  // namespace bkcheck
