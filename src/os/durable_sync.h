// Flushing a file or folder to the disk itself. On macOS fsync only hands the data to the drive,
// which may keep it in its cache across a power cut; fcntl(F_FULLFSYNC) asks the drive to write it
// (as SQLite and LevelDB do there). File systems that refuse F_FULLFSYNC (some network and FAT
// volumes) get fsync. The choice is a plain function over the calls, so tests fake them on any OS.
#pragma once

#include <functional>

namespace bkcheck::detail {

// Each returns 0, or -1 with errno set.
struct DurableSyncCalls {
    std::function<int(int fd)> full_sync;  // macOS fcntl(F_FULLFSYNC); empty elsewhere
    std::function<int(int fd)> sync;       // fsync
};

// The calls of this build (platform.h): full_sync only on macOS.
const DurableSyncCalls& system_sync_calls();

// 0, or -1 with errno. A refused full sync (ENOTSUP, EOPNOTSUPP, EINVAL, ENOTTY) falls back to
// sync; a real failure (EIO, ...) is reported as it is, never retried with the weaker call.
int durable_sync_with(const DurableSyncCalls& calls, int fd);

inline int durable_sync(int fd)
{
    return durable_sync_with(system_sync_calls(), fd);
}

}  // namespace bkcheck::detail
