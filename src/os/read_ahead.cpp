#include "read_ahead.h"

#include "platform.h"

#include <algorithm>

#include <fcntl.h>
#include <sys/stat.h>

namespace bkcheck::detail {
namespace {

constexpr std::uint64_t k_read_advice_window = 8u << 20;

}  // namespace

int read_advice_length(std::uint64_t size)
{
    return static_cast<int>(std::min(size, k_read_advice_window));
}

void advise_sequential_read([[maybe_unused]] int fd)
{
#if BKCHECK_LINUX_CALLS
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#elif BKCHECK_APPLE_CALLS
    struct stat info {};
    if (::fstat(fd, &info) != 0 || info.st_size <= 0) return;
    struct radvisory advice {};
    advice.ra_offset = 0;
    advice.ra_count = read_advice_length(static_cast<std::uint64_t>(info.st_size));
    ::fcntl(fd, F_RDADVISE, &advice);
#endif
}

}  // namespace bkcheck::detail
