#include "exclusive_rename.h"

#include "platform.h"

#include <cerrno>
#include <cstdio>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace bkcheck::detail {
namespace {

// The atomic call exists but this file system does not do it: Linux says EINVAL (or ENOSYS on an
// old kernel), macOS ENOTSUP (which is not EOPNOTSUPP there).
bool atomic_unsupported(int value)
{
    return value == EINVAL || value == ENOSYS || value == ENOTSUP || value == EOPNOTSUPP;
}

// No hard link here: a folder (EPERM), a file system without them (FAT: EPERM, ENOTSUP), or the
// link count at its limit.
bool link_unsupported(int value)
{
    return value == EPERM || value == ENOTSUP || value == EOPNOTSUPP || value == EMLINK;
}

ExclusiveRenameCalls make_system_calls()
{
    ExclusiveRenameCalls calls;
#if BKCHECK_LINUX_CALLS
    calls.atomic_no_replace = [](int from_dir, const char* from, int to_dir, const char* to) {
        return ::renameat2(from_dir, from, to_dir, to, RENAME_NOREPLACE);
    };
#elif BKCHECK_APPLE_CALLS
    calls.atomic_no_replace = [](int from_dir, const char* from, int to_dir, const char* to) {
        return ::renameatx_np(from_dir, from, to_dir, to, RENAME_EXCL);
    };
#endif
    calls.link = [](int from_dir, const char* from, int to_dir, const char* to) {
        return ::linkat(from_dir, from, to_dir, to, 0);
    };
    calls.unlink = [](int dir, const char* name) { return ::unlinkat(dir, name, 0); };
    calls.lstat = [](int dir, const char* name) {
        struct stat info {};
        return ::fstatat(dir, name, &info, AT_SYMLINK_NOFOLLOW);
    };
    calls.rename = [](int from_dir, const char* from, int to_dir, const char* to) {
        return ::renameat(from_dir, from, to_dir, to);
    };
    return calls;
}

}  // namespace

const ExclusiveRenameCalls& system_rename_calls()
{
    static const ExclusiveRenameCalls calls = make_system_calls();
    return calls;
}

int rename_exclusive_with(const ExclusiveRenameCalls& calls, int from_dir, const char* from,
                          int to_dir, const char* to)
{
    if (calls.atomic_no_replace) {
        if (calls.atomic_no_replace(from_dir, from, to_dir, to) == 0) return 0;
        if (!atomic_unsupported(errno)) return -1;
    }
    if (calls.link(from_dir, from, to_dir, to) == 0) {
        // Both names now hold the file; the old one goes. Should that fail, the file is still
        // where it was asked to be.
        calls.unlink(from_dir, from);
        return 0;
    }
    if (!link_unsupported(errno)) return -1;
    if (calls.lstat(to_dir, to) == 0) {
        errno = EEXIST;
        return -1;
    }
    if (errno != ENOENT) return -1;
    return calls.rename(from_dir, from, to_dir, to);
}

}  // namespace bkcheck::detail
