// The Windows side of the seam: text and paths. Inside bkcheck every name is UTF-8 bytes in a
// std::string; at the Win32 calls it is UTF-16 (the W functions), converted here (to UTF-16) and by
// bytes.h's utf8_from_utf16 (back), and nowhere else.
//
// A std::filesystem::path built from a std::string under MinGW holds each byte as one wchar_t
// (libstdc++ converts with the C locale's mbrtowc, which widens bytes 1:1), so path.native() is
// not the name Windows should see: every W call takes long_path(), which reads the UTF-8 back with
// path_text (bkcheck/path_text.h) and converts it.
#pragma once

#include "bkcheck/path_text.h"
#include "bkcheck/status.h"
#include "bytes.h"

#include <filesystem>
#include <string>
#include <string_view>

#include <windows.h>

namespace bkcheck::detail {

namespace fs = std::filesystem;

// UTF-8 to UTF-16 (MultiByteToWideChar); invalid bytes become U+FFFD, which no real name holds, so
// a call with it fails as "not found" rather than touching another file.
std::wstring wide_from_utf8(std::string_view text);

// A path for the rest of bkcheck from UTF-8 text: the inverse of path_text.
fs::path path_from_utf8(const std::string& text);

// `path` absolute, with '\' separators, in the long form every W call takes past MAX_PATH
// ("\\?\C:\...", "\\?\UNC\server\share\..."). Only the path the user gave goes through
// GetFullPathNameW (which resolves "." and ".." and the current folder); names appended to it with
// append_component are taken literally.
std::wstring long_path(const fs::path& path);
// `base` + '\' + `name` (UTF-8), the name converted and never reinterpreted.
std::wstring append_component(const std::wstring& base, const std::string& name);
// A long path as a person reads it: without "\\?\" (and "\\?\UNC\" back to "\\"), UTF-8.
std::string display_path(std::wstring_view long_form);

// An Error for a Win32 error code, worded like error_from_errno so the rest of bkcheck reads it
// the same way: missing -> NotFound; access denied ends with strerror(EACCES)
// (is_permission_error); a sharing violation (another program, an antivirus scanner, holds the
// file) says so.
Error error_from_win32(DWORD code, const fs::path& path, const std::string& doing);
// The words error_from_win32 puts after "doing: " for `code`.
std::string describe_win32(DWORD code);
// The errno closest to a Win32 error code (EIO when none is close).
int errno_from_win32(DWORD code);

// Owns a HANDLE (the Windows Descriptor).
class Handle {
public:
    explicit Handle(HANDLE handle = INVALID_HANDLE_VALUE) : m_handle(handle) {}
    ~Handle() { reset(); }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    Handle(Handle&& other) noexcept : m_handle(other.release()) {}
    Handle& operator=(Handle&& other) noexcept
    {
        if (this != &other) {
            reset();
            m_handle = other.release();
        }
        return *this;
    }
    HANDLE get() const { return m_handle; }
    bool valid() const { return m_handle != INVALID_HANDLE_VALUE && m_handle != nullptr; }
    HANDLE release()
    {
        HANDLE handle = m_handle;
        m_handle = INVALID_HANDLE_VALUE;
        return handle;
    }
    void reset()
    {
        if (valid()) ::CloseHandle(m_handle);
        m_handle = INVALID_HANDLE_VALUE;
    }

private:
    HANDLE m_handle;
};

// Seconds since 1970 UTC from a FILETIME (100 ns since 1601), and back.
std::int64_t unix_seconds(const FILETIME& time);
FILETIME file_time(std::int64_t unix_seconds);

}  // namespace bkcheck::detail
