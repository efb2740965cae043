#include "win32_path.h"

#include "bkcheck/file_system.h"
#include "bkcheck/path_text.h"

#include <cerrno>
#include <cstring>

namespace bkcheck::detail {
namespace {

constexpr std::wstring_view k_long_prefix = L"\\\\?\\";
constexpr std::wstring_view k_long_unc_prefix = L"\\\\?\\UNC\\";

std::wstring system_message(DWORD code)
{
    wchar_t* buffer = nullptr;
    DWORD length = ::FormatMessageW(
        FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
        nullptr, code, 0, reinterpret_cast<wchar_t*>(&buffer), 0, nullptr);
    std::wstring text = length > 0 && buffer != nullptr ? std::wstring(buffer, length) : L"";
    if (buffer != nullptr) ::LocalFree(buffer);
    while (!text.empty() && (text.back() == L'\n' || text.back() == L'\r' || text.back() == L' ' ||
                             text.back() == L'.'))
        text.pop_back();
    return text;
}

}  // namespace

std::wstring wide_from_utf8(std::string_view text)
{
    if (text.empty()) return {};
    int length =
        ::MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0);
    std::wstring wide(static_cast<std::size_t>(length), L'\0');
    ::MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), wide.data(),
                          length);
    return wide;
}

fs::path path_from_utf8(const std::string& text)
{
    return fs::path(text);
}

std::wstring long_path(const fs::path& path)
{
    std::wstring wide = wide_from_utf8(path_text(path));
    for (wchar_t& unit : wide) {
        if (unit == L'/') unit = L'\\';
    }
    if (wide.starts_with(k_long_prefix)) return wide;
    if (wide.empty()) wide = L".";
    DWORD needed = ::GetFullPathNameW(wide.c_str(), 0, nullptr, nullptr);
    if (needed == 0) return std::wstring(k_long_prefix) + wide;
    std::wstring full(needed, L'\0');
    DWORD length = ::GetFullPathNameW(wide.c_str(), needed, full.data(), nullptr);
    full.resize(length);
    while (full.size() > 3 && full.back() == L'\\') full.pop_back();  // "C:\" keeps its own
    if (full.starts_with(L"\\\\.\\") || full.starts_with(k_long_prefix)) return full;  // devices
    if (full.starts_with(L"\\\\")) return std::wstring(k_long_unc_prefix) + full.substr(2);
    return std::wstring(k_long_prefix) + full;
}

std::wstring append_component(const std::wstring& base, const std::string& name)
{
    std::wstring joined = base;
    if (joined.empty() || joined.back() != L'\\') joined.push_back(L'\\');
    return joined + wide_from_utf8(name);
}

std::string display_path(std::wstring_view long_form)
{
    if (long_form.starts_with(k_long_unc_prefix))
        return "\\\\" + utf8_from_utf16(long_form.substr(k_long_unc_prefix.size()));
    if (long_form.starts_with(k_long_prefix))
        return utf8_from_utf16(long_form.substr(k_long_prefix.size()));
    return utf8_from_utf16(long_form);
}

int errno_from_win32(DWORD code)
{
    switch (code) {
        case ERROR_FILE_NOT_FOUND:
        case ERROR_PATH_NOT_FOUND:
        case ERROR_INVALID_DRIVE:
        case ERROR_BAD_NETPATH:
        case ERROR_BAD_NET_NAME:
        case ERROR_BAD_PATHNAME:
            return ENOENT;
        case ERROR_DIRECTORY:
            return ENOTDIR;
        case ERROR_ACCESS_DENIED:
        case ERROR_PRIVILEGE_NOT_HELD:
        case ERROR_INVALID_ACCESS:
            return EACCES;
        case ERROR_FILE_EXISTS:
        case ERROR_ALREADY_EXISTS:
            return EEXIST;
        case ERROR_DISK_FULL:
        case ERROR_HANDLE_DISK_FULL:
            return ENOSPC;
        case ERROR_NOT_SAME_DEVICE:
            return EXDEV;
        case ERROR_DIR_NOT_EMPTY:
            return ENOTEMPTY;
        case ERROR_FILENAME_EXCED_RANGE:
            return ENAMETOOLONG;
        case ERROR_INVALID_NAME:
            return EINVAL;
        case ERROR_CANT_RESOLVE_FILENAME:
            return ELOOP;
        case ERROR_WRITE_PROTECT:
            return EROFS;
        case ERROR_SHARING_VIOLATION:
        case ERROR_LOCK_VIOLATION:
            return EBUSY;
        default:
            return EIO;
    }
}

std::string describe_win32(DWORD code)
{
    int value = errno_from_win32(code);
    if (value == EBUSY) {
        return "another program has it open and does not share it (iTunes, Apple Devices, a "
               "backup or antivirus program); try again when it is done";
    }
    if (value != EIO) return std::strerror(value);
    std::string words = utf8_from_utf16(system_message(code));
    return (words.empty() ? std::string("error") : words) + " (Windows error " +
           std::to_string(code) + ")";
}

Error error_from_win32(DWORD code, const fs::path& path, const std::string& doing)
{
    int value = errno_from_win32(code);
    // ENOENT and ENOTDIR are NotFound, as error_from_errno says; the rest is Io.
    ErrorCode error_code =
        value == ENOENT || value == ENOTDIR ? ErrorCode::NotFound : ErrorCode::Io;
    return make_error(error_code, path_text(path), doing + ": " + describe_win32(code));
}

std::int64_t unix_seconds(const FILETIME& time)
{
    constexpr std::int64_t k_ticks_per_second = 10'000'000;
    constexpr std::int64_t k_1601_to_1970 = 11'644'473'600;
    std::uint64_t ticks =
        (static_cast<std::uint64_t>(time.dwHighDateTime) << 32) | time.dwLowDateTime;
    return static_cast<std::int64_t>(ticks / k_ticks_per_second) - k_1601_to_1970;
}

FILETIME file_time(std::int64_t seconds)
{
    constexpr std::int64_t k_ticks_per_second = 10'000'000;
    constexpr std::int64_t k_1601_to_1970 = 11'644'473'600;
    std::int64_t since_1601 = seconds + k_1601_to_1970;
    std::uint64_t ticks =
        since_1601 > 0 ? static_cast<std::uint64_t>(since_1601) * k_ticks_per_second : 0;
    FILETIME time{};
    time.dwLowDateTime = static_cast<DWORD>(ticks & 0xFFFFFFFFu);
    time.dwHighDateTime = static_cast<DWORD>(ticks >> 32);
    return time;
}

}  // namespace bkcheck::detail
