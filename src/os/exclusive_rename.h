// Rename that never replaces: the OS's atomic call where it has one (Linux renameat2 with
// RENAME_NOREPLACE, macOS renameatx_np with RENAME_EXCL), else a hard link (which fails when the
// name exists) then an unlink of the old name, else (no hard links: FAT, folders) a check then a
// plain rename, whose window is the caller's to make safe (a lock). The choice between them is a
// plain function over the calls, so tests walk every fallback with faked calls on any OS.
#pragma once

#include <functional>

namespace bkcheck::detail {

// Each returns 0, or -1 with errno set, like the system call it stands for.
struct ExclusiveRenameCalls {
    using Rename = std::function<int(int from_dir, const char* from, int to_dir, const char* to)>;
    Rename atomic_no_replace;  // empty where the OS has none
    Rename link;               // linkat(..., 0)
    std::function<int(int dir, const char* name)> unlink;
    std::function<int(int dir, const char* name)> lstat;  // fstatat(AT_SYMLINK_NOFOLLOW)
    Rename rename;                                        // renameat: replaces
};

// The calls of this build (platform.h): the atomic one only on Linux and macOS.
const ExclusiveRenameCalls& system_rename_calls();

// Renames `from` in `from_dir` to `to` in `to_dir` unless `to` exists: 0, or -1 with errno (EEXIST
// when `to` exists).
int rename_exclusive_with(const ExclusiveRenameCalls& calls, int from_dir, const char* from,
                          int to_dir, const char* to);

inline int rename_exclusive(int from_dir, const char* from, int to_dir, const char* to)
{
    return rename_exclusive_with(system_rename_calls(), from_dir, from, to_dir, to);
}

}  // namespace bkcheck::detail
