// The Windows OutputTree (output_tree.h), behind WritableFileSystem::open_output_tree: the output
// folder held open, every folder below it reached by win32_tree_walk.h's walk (no reparse point
// followed, each held while used), files written under a temporary name, flushed and renamed.
#include "win32_output_tree.h"
#include "win32_path.h"
#include "win32_reparse.h"
#include "win32_tree_walk.h"

#include "bkcheck/path_text.h"
#include "text.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <set>

namespace bkcheck {
namespace {

using detail::Handle;
using detail::HeldFolder;

std::string joined(const std::vector<std::string>& components, std::size_t count)
{
    std::string text;
    for (std::size_t i = 0; i < count && i < components.size(); ++i)
        text += (i ? "/" : "") + components[i];
    return text;
}

// Per-name refusals a caller skips (as posix_output_tree.cpp); anything else stops the run.
bool is_name_errno(int value)
{
    return value == ELOOP || value == ENOTDIR || value == EEXIST || value == ENAMETOOLONG ||
           value == EISDIR || value == ENOTEMPTY || value == EINVAL || value == EILSEQ;
}

constexpr std::string_view k_already_exists = "it already exists (--overwrite replaces files)";

Error output_error(int value, const std::string& name, const std::string& doing, DWORD win32 = 0)
{
    std::string why = value == ELOOP     ? "a component is a link or junction, which bkcheck never "
                                           "follows"
                      : value == ENOTDIR ? "a component is not a folder"
                      : value == EEXIST  ? std::string(k_already_exists)
                      : win32 != 0       ? detail::describe_win32(win32)
                                         : std::string(std::strerror(value));
    ErrorCode code = is_name_errno(value) ? ErrorCode::InvalidArgument
                     : value == ENOENT    ? ErrorCode::NotFound
                                          : ErrorCode::Io;
    return make_error(code, name, doing + ": " + why);
}

Error win32_output_error(DWORD error, const std::string& name, const std::string& doing)
{
    return output_error(detail::errno_from_win32(error), name, doing, error);
}

std::string temporary_name()
{
    static std::atomic<std::uint64_t> counter{0};
    return std::string(k_partial_prefix) + std::to_string(::GetCurrentProcessId()) + "-" +
           std::to_string(counter.fetch_add(1));
}

class Win32OutputFile : public OutputFile {
public:
    Win32OutputFile(HeldFolder dir, Handle file, std::wstring temp, std::wstring target,
                    std::string name, bool overwrite)
        : m_dir(std::move(dir)),
          m_file(std::move(file)),
          m_temp(std::move(temp)),
          m_target(std::move(target)),
          m_name(std::move(name)),
          m_overwrite(overwrite)
    {
    }
    ~Win32OutputFile() override
    {
        m_file.reset();
        if (!m_committed) ::DeleteFileW(m_temp.c_str());
    }

    Status write(ByteView bytes) override
    {
        while (!bytes.empty()) {
            DWORD chunk = static_cast<DWORD>(std::min<std::size_t>(bytes.size(), 1u << 30));
            DWORD written = 0;
            if (!::WriteFile(m_file.get(), bytes.data(), chunk, &written, nullptr))
                return win32_output_error(::GetLastError(), m_name, "cannot write");
            bytes = bytes.subspan(written);
        }
        return Ok{};
    }

    // Windows has no mode bits: a file without any write bit becomes read-only, the rest is left
    // to the output folder's ACL.
    Status commit(std::uint32_t mode, std::int64_t mtime) override
    {
        FILETIME time = detail::file_time(mtime);
        if (!::SetFileTime(m_file.get(), nullptr, &time, &time))
            return win32_output_error(::GetLastError(), m_name, "cannot set the modification time");
        if (!::FlushFileBuffers(m_file.get()))
            return win32_output_error(::GetLastError(), m_name, "cannot flush to disk");
        m_file.reset();
        if ((mode & 0222) == 0) ::SetFileAttributesW(m_temp.c_str(), FILE_ATTRIBUTE_READONLY);
        DWORD flags = MOVEFILE_WRITE_THROUGH | (m_overwrite ? MOVEFILE_REPLACE_EXISTING : 0);
        if (!::MoveFileExW(m_temp.c_str(), m_target.c_str(), flags))
            return win32_output_error(::GetLastError(), m_name, "cannot give the file its name");
        m_committed = true;
        return Ok{};
    }

private:
    HeldFolder m_dir;
    Handle m_file;
    std::wstring m_temp;
    std::wstring m_target;
    std::string m_name;
    bool m_overwrite;
    bool m_committed = false;
};

class Win32OutputTree : public OutputTree {
public:
    Win32OutputTree(HeldFolder root, std::string root_name, bool overwrite)
        : m_root(std::move(root)), m_root_name(std::move(root_name)), m_overwrite(overwrite)
    {
    }

    Status make_directory(const std::vector<std::string>& components) override
    {
        auto dir = open_directory(components, components.size(), true);
        if (!dir) return dir.error();
        touched(components, components.size());
        return Ok{};
    }

    Status set_directory_attributes(const std::vector<std::string>& components,
                                    std::uint32_t /*mode*/, std::int64_t mtime) override
    {
        auto dir = open_directory(components, components.size(), false);
        if (!dir) return dir.error();
        std::string name = joined(components, components.size());
        Handle folder(::CreateFileW(
            dir->path.c_str(), FILE_WRITE_ATTRIBUTES, detail::k_share_all, nullptr, OPEN_EXISTING,
            FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, nullptr));
        FILETIME time = detail::file_time(mtime);
        if (!folder.valid() || !::SetFileTime(folder.get(), nullptr, &time, &time))
            return win32_output_error(::GetLastError(), name, "cannot set the modification time");
        touched(components, components.size());
        return Ok{};
    }

    Result<std::unique_ptr<OutputFile>> create_file(
        const std::vector<std::string>& components) override
    {
        std::string name = joined(components, components.size());
        if (components.empty()) return make_error(ErrorCode::InvalidArgument, name, "no file name");
        auto dir = open_directory(components, components.size() - 1, true);
        if (!dir) return dir.error();
        std::wstring target = detail::append_component(dir->path, components.back());
        if (auto status = check_replaceable(target, name); !status) return status.error();
        std::wstring temp = detail::append_component(dir->path, temporary_name());
        Handle file(::CreateFileW(temp.c_str(), GENERIC_WRITE | FILE_WRITE_ATTRIBUTES, 0, nullptr,
                                  CREATE_NEW, FILE_ATTRIBUTE_NORMAL, nullptr));
        if (!file.valid())
            return win32_output_error(::GetLastError(), name, "cannot create a temporary file");
        touched(components, components.size() - 1);
        return std::unique_ptr<OutputFile>(new Win32OutputFile(std::move(*dir), std::move(file),
                                                               std::move(temp), std::move(target),
                                                               std::move(name), m_overwrite));
    }

    // A symbolic link needs Developer Mode or an administrator on Windows; without, the record is
    // skipped as a name the disk refuses, with the reason.
    Status create_symlink(const std::vector<std::string>& components, const std::string& target,
                          std::int64_t /*mtime*/) override
    {
        std::string name = joined(components, components.size());
        if (components.empty()) return make_error(ErrorCode::InvalidArgument, name, "no link name");
        auto dir = open_directory(components, components.size() - 1, true);
        if (!dir) return dir.error();
        std::wstring path = detail::append_component(dir->path, components.back());
        if (auto status = check_replaceable(path, name); !status) return status;
        std::wstring temp = detail::append_component(dir->path, temporary_name());
        std::wstring wide_target = detail::wide_from_utf8(target);
        for (wchar_t& unit : wide_target) {
            if (unit == L'/') unit = L'\\';
        }
        if (!::CreateSymbolicLinkW(temp.c_str(), wide_target.c_str(),
                                   SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE)) {
            return make_error(
                ErrorCode::InvalidArgument, name,
                "cannot create the symlink: " + detail::describe_win32(::GetLastError()) +
                    " (Windows creates links only in Developer Mode or as an "
                    "administrator)");
        }
        touched(components, components.size() - 1);
        DWORD flags = MOVEFILE_WRITE_THROUGH | (m_overwrite ? MOVEFILE_REPLACE_EXISTING : 0);
        if (!::MoveFileExW(temp.c_str(), path.c_str(), flags)) {
            DWORD error = ::GetLastError();
            ::DeleteFileW(temp.c_str());
            if (error == ERROR_ALREADY_EXISTS || error == ERROR_FILE_EXISTS)
                return win32_output_error(error, name, "cannot give the symlink its name");
            // Links are the least sure thing on Windows (Wine 8 moves a dangling one's target, not
            // the link): this record is skipped with the reason, the run goes on.
            return make_error(ErrorCode::InvalidArgument, name,
                              "cannot give the symlink its name: " + detail::describe_win32(error));
        }
        return Ok{};
    }

    Result<std::vector<std::string>> list_names(const std::vector<std::string>& components) override
    {
        std::vector<std::string> names;
        auto dir = open_directory(components, components.size(), false);
        if (!dir) {
            if (dir.error().code == ErrorCode::NotFound) return names;
            return dir.error();
        }
        std::wstring pattern = dir->path + L"\\*";
        WIN32_FIND_DATAW found{};
        HANDLE search = ::FindFirstFileExW(pattern.c_str(), FindExInfoBasic, &found,
                                           FindExSearchNameMatch, nullptr, 0);
        if (search == INVALID_HANDLE_VALUE) {
            DWORD error = ::GetLastError();
            if (error == ERROR_FILE_NOT_FOUND) return names;
            return win32_output_error(error, joined(components, components.size()),
                                      "cannot list the folder");
        }
        do {
            std::wstring_view name = found.cFileName;
            if (name != L"." && name != L"..") names.push_back(utf8_from_utf16(name));
        } while (::FindNextFileW(search, &found));
        ::FindClose(search);
        return names;
    }

    bool exists(const std::vector<std::string>& components) override
    {
        if (components.empty()) return true;
        auto dir = open_directory(components, components.size() - 1, false);
        if (!dir) return false;
        return detail::entry_exists(detail::append_component(dir->path, components.back()));
    }

    Status remove_file(const std::vector<std::string>& components) override
    {
        std::string name = joined(components, components.size());
        if (components.empty()) return make_error(ErrorCode::InvalidArgument, name, "no file name");
        auto dir = open_directory(components, components.size() - 1, false);
        if (!dir) return dir.error();
        if (!::DeleteFileW(detail::append_component(dir->path, components.back()).c_str()))
            return win32_output_error(::GetLastError(), name, "cannot remove");
        return Ok{};
    }

    Status sync() override
    {
        for (const std::string& folder : m_touched) {
            std::vector<std::string> components;
            if (!folder.empty()) {
                for (std::string_view part : split_path(folder)) components.emplace_back(part);
            }
            auto dir = open_directory(components, components.size(), false);
            if (!dir) return dir.error();
            if (DWORD error = detail::flush_folder(dir->path); error != 0)
                return win32_output_error(error, folder.empty() ? m_root_name : folder,
                                          "cannot flush to disk");
        }
        m_touched.clear();
        return Ok{};
    }

private:
    // A folder is never replaced, even with overwrite; nor is anything without it.
    Status check_replaceable(const std::wstring& target, const std::string& name) const
    {
        Handle existing = detail::open_entry(target, FILE_READ_ATTRIBUTES);
        if (!existing.valid()) return Ok{};
        detail::EntryKind kind = detail::kind_of_handle(existing.get());
        if (kind.directory && !kind.reparse_point)
            return output_error(EISDIR, name, "a folder is in the way");
        if (!m_overwrite) return output_error(EEXIST, name, "not written");
        return Ok{};
    }

    Result<HeldFolder> open_directory(const std::vector<std::string>& components, std::size_t count,
                                      bool create) const
    {
        auto walked = detail::walk_folders(m_root.path, components, count, create);
        if (walked.ok()) return std::move(walked.folder);
        const detail::WalkFailure& failure = walked.failure;
        std::string name = joined(components, failure.depth + 1);
        return output_error(failure.errno_value, name,
                            create ? "cannot create the folder" : "cannot enter the folder",
                            failure.win32);
    }

    void touched(const std::vector<std::string>& components, std::size_t count)
    {
        std::string folder = joined(components, count);
        if (m_touched.count(folder)) return;
        for (std::size_t i = 0; i <= count; ++i) m_touched.insert(joined(components, i));
    }

    HeldFolder m_root;
    std::string m_root_name;
    bool m_overwrite;
    std::set<std::string> m_touched;
};

}  // namespace

bool is_already_exists(const Error& error)
{
    return error.code == ErrorCode::InvalidArgument && error.message.ends_with(k_already_exists);
}

namespace detail {

Result<std::unique_ptr<OutputTree>> open_output_tree_win32(const fs::path& root,
                                                           const OutputTreeOptions& options)
{
    if (options.create_root) {
        // Each missing folder of the path the user named, from the top (as create_directories).
        std::wstring full = long_path(root);
        for (std::size_t at = full.find(L'\\', 8); at != std::wstring::npos;
             at = full.find(L'\\', at + 1))
            ::CreateDirectoryW(full.substr(0, at).c_str(), nullptr);
        if (!::CreateDirectoryW(full.c_str(), nullptr) && ::GetLastError() != ERROR_ALREADY_EXISTS)
            return error_from_win32(::GetLastError(), root, "cannot create the output folder");
    }
    auto held = hold_root(root);
    if (!held) {
        return make_error(held.error().code, held.error().path,
                          "cannot open the output folder: " + held.error().message);
    }
    return std::unique_ptr<OutputTree>(
        new Win32OutputTree(std::move(*held), path_text(root), options.overwrite));
}

}  // namespace detail

}  // namespace bkcheck
