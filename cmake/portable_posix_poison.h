/* Force-included (-include) into every file of a BKCHECK_PORTABLE_POSIX build: calls, flags and
 * headers' names that Linux (glibc) has but macOS or the BSDs lack are poisoned, so new code that
 * uses one fails to compile on Linux CI, not on a Mac later. The headers that declare them are
 * included first: a declaration made before the poison is allowed, a use after it is an error.
 * To allow a call on Linux and macOS, put it behind BKCHECK_LINUX_CALLS / BKCHECK_APPLE_CALLS
 * (src/os/platform.h), which a portable build sets to 0. */
#ifndef BKCHECK_PORTABLE_POSIX_POISON_H
#define BKCHECK_PORTABLE_POSIX_POISON_H

#if defined(__linux__)
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/sendfile.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/timerfd.h>
#include <sys/types.h>
#include <sys/vfs.h>
#include <unistd.h>
#endif

/* Flags and constants are macros: undefined first, so the poison catches any later use. */
#undef O_TMPFILE
#undef O_PATH
#undef O_NOATIME
#undef O_DIRECT
#undef RENAME_NOREPLACE
#undef RENAME_EXCHANGE
#undef POSIX_FADV_SEQUENTIAL
#undef POSIX_FADV_WILLNEED
#undef POSIX_FADV_DONTNEED
#undef GRND_NONBLOCK
#undef AT_EMPTY_PATH

/* clang-format off */
#pragma GCC poison renameat2 RENAME_NOREPLACE RENAME_EXCHANGE
#pragma GCC poison posix_fadvise posix_fallocate fallocate readahead POSIX_FADV_SEQUENTIAL POSIX_FADV_WILLNEED POSIX_FADV_DONTNEED
#pragma GCC poison statx getdents64 getdents O_TMPFILE O_PATH O_NOATIME O_DIRECT AT_EMPTY_PATH
#pragma GCC poison fdatasync syncfs sync_file_range copy_file_range sendfile
#pragma GCC poison getrandom GRND_NONBLOCK memfd_create pipe2 dup3 accept4 mkostemp
#pragma GCC poison statfs fstatfs inotify_init inotify_init1 inotify_add_watch epoll_create epoll_create1 eventfd signalfd timerfd_create
#pragma GCC poison name_to_handle_at open_by_handle_at get_current_dir_name canonicalize_file_name euidaccess eaccess
#pragma GCC poison strchrnul program_invocation_name program_invocation_short_name gettid prctl sched_getaffinity get_nprocs
/* clang-format on */

#endif
