#include "durable_sync.h"

#include "platform.h"

#include <cerrno>

#include <fcntl.h>
#include <unistd.h>

namespace bkcheck::detail {
namespace {

bool refused(int value)
{
    return value == ENOTSUP || value == EOPNOTSUPP || value == EINVAL || value == ENOTTY;
}

DurableSyncCalls make_system_calls()
{
    DurableSyncCalls calls;
#if BKCHECK_APPLE_CALLS
    calls.full_sync = [](int fd) { return ::fcntl(fd, F_FULLFSYNC) == -1 ? -1 : 0; };
#endif
    calls.sync = [](int fd) { return ::fsync(fd); };
    return calls;
}

}  // namespace

const DurableSyncCalls& system_sync_calls()
{
    static const DurableSyncCalls calls = make_system_calls();
    return calls;
}

int durable_sync_with(const DurableSyncCalls& calls, int fd)
{
    if (calls.full_sync) {
        if (calls.full_sync(fd) == 0) return 0;
        if (!refused(errno)) return -1;
    }
    return calls.sync(fd);
}

}  // namespace bkcheck::detail
