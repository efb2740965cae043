// Which OS-specific calls this build may make, decided once for the whole OS layer. Windows has
// its own files (win32_*.cpp, chosen in src/CMakeLists.txt); BKCHECK_WINDOWS_CALLS is for the
// few shared files that differ by a line. A
// BKCHECK_PORTABLE_POSIX build makes neither Linux's nor Apple's: only POSIX.1-2008 (and flock,
// which macOS and every BSD have), so CI on Linux runs the code paths macOS and the BSDs take.
#pragma once

#if defined(BKCHECK_PORTABLE_POSIX)
#define BKCHECK_LINUX_CALLS 0
#define BKCHECK_APPLE_CALLS 0
#elif defined(_WIN32)
#define BKCHECK_LINUX_CALLS 0
#define BKCHECK_APPLE_CALLS 0
#elif defined(__linux__)
#define BKCHECK_LINUX_CALLS 1
#define BKCHECK_APPLE_CALLS 0
#elif defined(__APPLE__)
#define BKCHECK_LINUX_CALLS 0
#define BKCHECK_APPLE_CALLS 1
#else
#define BKCHECK_LINUX_CALLS 0
#define BKCHECK_APPLE_CALLS 0
#endif

#if defined(_WIN32)
#define BKCHECK_WINDOWS_CALLS 1
#else
#define BKCHECK_WINDOWS_CALLS 0
#endif
