// The Windows FileSystem (the read side of the seam): wide long paths, files opened shared for
// read, write and delete so bkcheck never stands in the way of iTunes or Apple Devices, and every
// handle checked to be a regular file on a disk before a byte is read.
#include "bkcheck/file_system.h"

#include "bkcheck/path_text.h"
#include "win32_folder_access.h"
#include "win32_path.h"
#include "win32_reparse.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace bkcheck {
namespace {

using detail::Handle;

constexpr DWORD k_share_all = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;

// A file whose bytes are not on this PC (a OneDrive or other cloud placeholder, an offline file):
// reading it would download it, or fail after a long wait. bkcheck says so instead.
// (The two RECALL values are winnt.h's, which MinGW's headers do not have yet.)
constexpr DWORD k_recall_on_open = 0x00040000;
constexpr DWORD k_recall_on_data_access = 0x00400000;
constexpr DWORD k_not_local = FILE_ATTRIBUTE_OFFLINE | k_recall_on_open | k_recall_on_data_access;

Handle open_existing(const std::wstring& path, DWORD access, DWORD flags)
{
    return Handle(::CreateFileW(path.c_str(), access, k_share_all, nullptr, OPEN_EXISTING,
                                flags | FILE_FLAG_BACKUP_SEMANTICS, nullptr));
}

EntryType type_of(DWORD attributes, DWORD reparse_tag)
{
    if ((attributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0 && detail::is_link_tag(reparse_tag))
        return EntryType::Symlink;
    if ((attributes & FILE_ATTRIBUTE_DIRECTORY) != 0) return EntryType::Directory;
    if ((attributes & FILE_ATTRIBUTE_DEVICE) != 0) return EntryType::Other;
    return EntryType::File;
}

// A read handle of a regular file on a disk: a folder, a device or a file whose bytes are
// elsewhere (cloud placeholder) is an Io error naming what it is.
Result<Handle> open_regular_for_read(const fs::path& path, DWORD flags)
{
    std::wstring wide = detail::long_path(path);
    Handle file(::CreateFileW(wide.c_str(), GENERIC_READ, k_share_all, nullptr, OPEN_EXISTING,
                              flags | FILE_FLAG_BACKUP_SEMANTICS, nullptr));
    if (!file.valid()) return detail::error_from_win32(::GetLastError(), path, "cannot open");
    BY_HANDLE_FILE_INFORMATION info{};
    if (!::GetFileInformationByHandle(file.get(), &info))
        return detail::error_from_win32(::GetLastError(), path, "cannot stat");
    if ((info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0)
        return make_error(ErrorCode::Io, path_text(path), "is a folder, not a regular file");
    if (::GetFileType(file.get()) != FILE_TYPE_DISK)
        return make_error(ErrorCode::Io, path_text(path),
                          "is a device or pipe, not a regular file");
    if ((info.dwFileAttributes & k_not_local) != 0) {
        return make_error(ErrorCode::Io, path_text(path),
                          "cannot read: its content is not on this PC (a OneDrive or other cloud "
                          "placeholder); make the backup folder 'Always keep on this device' and "
                          "check again");
    }
    return file;
}

std::uint64_t size_of(const BY_HANDLE_FILE_INFORMATION& info)
{
    return (static_cast<std::uint64_t>(info.nFileSizeHigh) << 32) | info.nFileSizeLow;
}

Result<std::size_t> read_some(HANDLE file, std::span<std::uint8_t> buffer, const fs::path& path,
                              const std::uint64_t* offset)
{
    DWORD wanted = static_cast<DWORD>(std::min<std::size_t>(buffer.size(), 1u << 30));
    DWORD got = 0;
    OVERLAPPED at{};
    if (offset != nullptr) {
        at.Offset = static_cast<DWORD>(*offset & 0xFFFFFFFFu);
        at.OffsetHigh = static_cast<DWORD>(*offset >> 32);
    }
    if (!::ReadFile(file, buffer.data(), wanted, &got, offset != nullptr ? &at : nullptr)) {
        DWORD error = ::GetLastError();
        if (error == ERROR_HANDLE_EOF) return std::size_t{0};
        return detail::error_from_win32(error, path, "cannot read");
    }
    return static_cast<std::size_t>(got);
}

class Win32SequentialReader final : public SequentialReader {
public:
    Win32SequentialReader(Handle file, fs::path path)
        : m_file(std::move(file)), m_path(std::move(path))
    {
    }

    Result<std::size_t> read(std::span<std::uint8_t> buffer) override
    {
        return read_some(m_file.get(), buffer, m_path, nullptr);
    }

private:
    Handle m_file;
    fs::path m_path;
};

// ReadFile with an offset on a synchronous handle is pread: threads may share the reader.
class Win32RandomAccessReader final : public RandomAccessReader {
public:
    Win32RandomAccessReader(Handle file, std::uint64_t size, fs::path path)
        : m_file(std::move(file)), m_size(size), m_path(std::move(path))
    {
    }

    std::uint64_t size() const override { return m_size; }

    Result<std::size_t> read_at(std::uint64_t offset, std::span<std::uint8_t> buffer) const override
    {
        std::size_t done = 0;
        while (done < buffer.size()) {
            std::uint64_t at = offset + done;
            auto got = read_some(m_file.get(), buffer.subspan(done), m_path, &at);
            if (!got) return std::move(got).error();
            if (*got == 0) break;
            done += *got;
        }
        return done;
    }

private:
    Handle m_file;
    std::uint64_t m_size;
    fs::path m_path;
};

class Win32FileSystem final : public FileSystem {
public:
    Result<FileStat> stat(const fs::path& path) const override
    {
        std::wstring wide = detail::long_path(path);
        // Opened for reading first: the answer to "may this user read it" costs no second call
        // for nearly every file. Denied: opened again for its attributes only.
        bool readable = true;
        Handle file = open_existing(wide, GENERIC_READ, 0);
        if (!file.valid()) {
            DWORD error = ::GetLastError();
            // Denied by an ACL, or held unshared by another program: the attributes still answer.
            if (error != ERROR_ACCESS_DENIED && error != ERROR_SHARING_VIOLATION)
                return detail::error_from_win32(error, path, "cannot stat");
            readable = error != ERROR_ACCESS_DENIED;
            file = open_existing(wide, FILE_READ_ATTRIBUTES, 0);
            if (!file.valid())
                return detail::error_from_win32(::GetLastError(), path, "cannot stat");
        }
        BY_HANDLE_FILE_INFORMATION info{};
        if (!::GetFileInformationByHandle(file.get(), &info))
            return detail::error_from_win32(::GetLastError(), path, "cannot stat");
        // Links were followed: what is left is a folder or a file.
        EntryType type = (info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0
                             ? EntryType::Directory
                         : ::GetFileType(file.get()) == FILE_TYPE_DISK ? EntryType::File
                                                                       : EntryType::Other;
        return FileStat{type, type == EntryType::File ? size_of(info) : 0,
                        detail::unix_seconds(info.ftLastWriteTime), readable};
    }

    Result<std::vector<DirEntry>> list(const fs::path& dir) const override
    {
        std::wstring pattern = detail::append_component(detail::long_path(dir), "*");
        WIN32_FIND_DATAW found{};
        HANDLE search =
            ::FindFirstFileExW(pattern.c_str(), FindExInfoBasic, &found, FindExSearchNameMatch,
                               nullptr, FIND_FIRST_EX_LARGE_FETCH);
        if (search == INVALID_HANDLE_VALUE) {
            DWORD error = ::GetLastError();
            // An empty drive root has not even "." to find.
            if (error == ERROR_FILE_NOT_FOUND) return std::vector<DirEntry>{};
            // FindFirstFile on a file says "path not found" or "invalid name": as ENOTDIR.
            if (error == ERROR_INVALID_NAME || error == ERROR_DIRECTORY) error = ERROR_DIRECTORY;
            return detail::error_from_win32(error, dir, "cannot list folder");
        }
        std::vector<DirEntry> entries;
        DWORD error = 0;
        do {
            std::wstring_view name = found.cFileName;
            if (name != L"." && name != L"..") {
                entries.push_back({utf8_from_utf16(name),
                                   type_of(found.dwFileAttributes, found.dwReserved0)});
            }
            if (!::FindNextFileW(search, &found)) error = ::GetLastError();
        } while (error == 0);
        ::FindClose(search);
        if (error != ERROR_NO_MORE_FILES)
            return detail::error_from_win32(error, dir, "cannot list folder");
        std::sort(entries.begin(), entries.end(),
                  [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
        return entries;
    }

    Result<Bytes> read_file(const fs::path& path, std::uint64_t max_size) const override
    {
        auto file = open_regular_for_read(path, FILE_FLAG_SEQUENTIAL_SCAN);
        if (!file) return std::move(file).error();
        LARGE_INTEGER length{};
        if (!::GetFileSizeEx(file->get(), &length))
            return detail::error_from_win32(::GetLastError(), path, "cannot stat");
        auto size = static_cast<std::uint64_t>(length.QuadPart);
        if (size > max_size) {
            return make_error(ErrorCode::Corrupt, path_text(path),
                              "file is " + std::to_string(size) + " bytes, more than the " +
                                  std::to_string(max_size) + " this kind of file can be");
        }
        Bytes bytes(size);
        std::size_t done = 0;
        while (done < bytes.size()) {
            auto got = read_some(file->get(), std::span(bytes).subspan(done), path, nullptr);
            if (!got) return std::move(got).error();
            if (*got == 0) break;  // the file shrank while we read it
            done += *got;
        }
        bytes.resize(done);
        return bytes;
    }

    Result<std::unique_ptr<SequentialReader>> open_read(const fs::path& path) const override
    {
        // FILE_FLAG_SEQUENTIAL_SCAN: Windows' read-ahead hint (posix_fadvise SEQUENTIAL).
        auto file = open_regular_for_read(path, FILE_FLAG_SEQUENTIAL_SCAN);
        if (!file) return std::move(file).error();
        return std::unique_ptr<SequentialReader>(
            std::make_unique<Win32SequentialReader>(std::move(*file), path));
    }

    Result<std::unique_ptr<RandomAccessReader>> open_random_access(
        const fs::path& path) const override
    {
        auto file = open_regular_for_read(path, FILE_FLAG_RANDOM_ACCESS);
        if (!file) return std::move(file).error();
        LARGE_INTEGER length{};
        if (!::GetFileSizeEx(file->get(), &length))
            return detail::error_from_win32(::GetLastError(), path, "cannot stat");
        return std::unique_ptr<RandomAccessReader>(std::make_unique<Win32RandomAccessReader>(
            std::move(*file), static_cast<std::uint64_t>(length.QuadPart), path));
    }

    Result<std::uint64_t> free_space(const fs::path& path) const override
    {
        // GetDiskFreeSpaceExW wants a folder, with a trailing '\' on a share.
        std::wstring folder = detail::long_path(path);
        if (auto info = stat(path); info && info->type != EntryType::Directory)
            folder =
                detail::long_path(path.parent_path().empty() ? fs::path(".") : path.parent_path());
        folder.push_back(L'\\');
        ULARGE_INTEGER available{};
        if (!::GetDiskFreeSpaceExW(folder.c_str(), &available, nullptr, nullptr))
            return detail::error_from_win32(::GetLastError(), path, "cannot ask the free space of");
        return static_cast<std::uint64_t>(available.QuadPart);
    }

    Result<std::string> read_link(const fs::path& path) const override
    {
        Handle entry = open_existing(detail::long_path(path), FILE_READ_ATTRIBUTES,
                                     FILE_FLAG_OPEN_REPARSE_POINT);
        if (!entry.valid())
            return detail::error_from_win32(::GetLastError(), path, "cannot read the link");
        auto target = detail::read_link_target(entry.get());
        if (!target) {
            return make_error(ErrorCode::Io, path_text(path),
                              "cannot read the link: not a symbolic link");
        }
        if (target->size() > k_max_link_target) {
            return make_error(
                ErrorCode::Corrupt, path_text(path),
                "the link's target is longer than " + std::to_string(k_max_link_target) + " bytes");
        }
        return *target;
    }

    FolderAccess folder_access(const fs::path& dir) const override
    {
        return detail::folder_access_of(detail::long_path(dir));
    }

    Result<fs::path> real_path(const fs::path& path) const override
    {
        Handle entry = open_existing(detail::long_path(path), FILE_READ_ATTRIBUTES, 0);
        if (!entry.valid())
            return detail::error_from_win32(::GetLastError(), path, "cannot resolve the path");
        auto final_path = detail::final_path_of(entry.get());
        if (!final_path)
            return detail::error_from_win32(::GetLastError(), path, "cannot resolve the path");
        return detail::path_from_utf8(detail::display_path(*final_path));
    }
};

}  // namespace

const FileSystem& real_file_system()
{
    static const Win32FileSystem instance;
    return instance;
}

}  // namespace bkcheck
