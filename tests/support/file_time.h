// Setting a file's or a folder's modification time in a test. std::filesystem::last_write_time
// does it on POSIX; MinGW's libstdc++ opens the path without FILE_FLAG_BACKUP_SEMANTICS, which a
// folder needs on Windows ("cannot set file time: Permission denied"), so folders go through
// SetFileTime there.
#pragma once

#include <chrono>
#include <filesystem>
#include <system_error>

#ifdef _WIN32
#include <windows.h>
#endif

namespace bkcheck::test {

inline void set_modification_time(const std::filesystem::path& path,
                                  std::filesystem::file_time_type when)
{
#ifdef _WIN32
    if (std::filesystem::is_directory(path)) {
        // The file clock's epoch is the library's own: go through "now" on both clocks.
        auto from_now =
            std::chrono::duration_cast<std::chrono::duration<long long, std::ratio<1, 10000000>>>(
                when - std::filesystem::file_time_type::clock::now());
        FILETIME now;
        GetSystemTimeAsFileTime(&now);
        auto ticks =
            ((static_cast<unsigned long long>(now.dwHighDateTime) << 32) | now.dwLowDateTime) +
            static_cast<unsigned long long>(from_now.count());
        FILETIME time{static_cast<DWORD>(ticks), static_cast<DWORD>(ticks >> 32)};
        HANDLE handle = CreateFileW(path.c_str(), FILE_WRITE_ATTRIBUTES,
                                    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                                    OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, nullptr);
        bool set = handle != INVALID_HANDLE_VALUE && SetFileTime(handle, nullptr, nullptr, &time);
        DWORD error = GetLastError();
        if (handle != INVALID_HANDLE_VALUE) CloseHandle(handle);
        if (!set)
            throw std::filesystem::filesystem_error(
                "cannot set folder time", path,
                std::error_code(static_cast<int>(error), std::system_category()));
        return;
    }
#endif
    std::filesystem::last_write_time(path, when);
}

}  // namespace bkcheck::test
