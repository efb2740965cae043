// The Windows WritableFileSystem. A WritableTree holds its root open (no other process can move
// it) and reaches every path by win32_tree_walk.h's walk: each folder on the way opened without
// following reparse points, checked, and held until the change is done. The last component is
// acted on as itself: MoveFileExW renames a link, never its target; DeleteFileW and
// RemoveDirectoryW remove a link, never what it points to.
#include "win32_output_file.h"
#include "win32_output_tree.h"
#include "win32_path.h"
#include "win32_reparse.h"
#include "win32_tree_walk.h"

#include "bkcheck/file_system.h"
#include "bkcheck/path_text.h"

#include <cerrno>
#include <utility>
#include <vector>

namespace bkcheck {
namespace {

using detail::Handle;
using detail::HeldFolder;

std::vector<std::string> components_of(const fs::path& relative)
{
    std::vector<std::string> parts;
    for (const fs::path& part : relative) parts.push_back(path_text(part));
    return parts;
}

class Win32FileLock final : public FileLock {
public:
    explicit Win32FileLock(Handle file) : m_file(std::move(file)) {}
    ~Win32FileLock() override
    {
        OVERLAPPED at{};
        ::UnlockFileEx(m_file.get(), 0, 1, 0, &at);
    }

private:
    Handle m_file;
};

// Deletes the entry `path` and, when it is a real folder, everything in it; a reparse point
// (symlink, junction) is removed as itself. 0 or a Win32 error.
DWORD remove_tree(const std::wstring& path)
{
    Handle entry = detail::open_entry(path, FILE_READ_ATTRIBUTES);
    if (!entry.valid()) {
        DWORD error = ::GetLastError();
        return error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND ? 0 : error;
    }
    detail::EntryKind kind = detail::kind_of_handle(entry.get());
    entry.reset();
    if (!kind.ok) return ::GetLastError();
    if (kind.directory && !kind.reparse_point) {
        // Held while listed and emptied: it cannot be swapped for a junction meanwhile.
        Handle held(::CreateFileW(path.c_str(), FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES,
                                  detail::k_share_pinned, nullptr, OPEN_EXISTING,
                                  FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT,
                                  nullptr));
        if (!held.valid()) return ::GetLastError();
        std::vector<std::wstring> children;
        WIN32_FIND_DATAW found{};
        std::wstring pattern = path + L"\\*";
        HANDLE search = ::FindFirstFileExW(pattern.c_str(), FindExInfoBasic, &found,
                                           FindExSearchNameMatch, nullptr, 0);
        if (search != INVALID_HANDLE_VALUE) {
            do {
                std::wstring_view name = found.cFileName;
                if (name != L"." && name != L"..")
                    children.push_back(path + L"\\" + found.cFileName);
            } while (::FindNextFileW(search, &found));
            ::FindClose(search);
        }
        DWORD failed = 0;
        for (const std::wstring& child : children) {
            if (DWORD error = remove_tree(child); error != 0) failed = error;
        }
        held.reset();
        if (failed != 0) return failed;
        return ::RemoveDirectoryW(path.c_str()) ? 0 : ::GetLastError();
    }
    if (kind.directory) return ::RemoveDirectoryW(path.c_str()) ? 0 : ::GetLastError();
    if (::DeleteFileW(path.c_str())) return 0;
    DWORD error = ::GetLastError();
    // A read-only file (extracted from a backup with mode 0444) is deleted after clearing the flag.
    if (error == ERROR_ACCESS_DENIED && ::SetFileAttributesW(path.c_str(), FILE_ATTRIBUTE_NORMAL) &&
        ::DeleteFileW(path.c_str()))
        return 0;
    return error;
}

class Win32WritableTree final : public WritableTree {
public:
    Win32WritableTree(fs::path root, HeldFolder held)
        : m_root(std::move(root)), m_held(std::move(held))
    {
    }

    const fs::path& root() const override { return m_root; }

    Status rename(const fs::path& from, const fs::path& to) override
    {
        auto source = parent_of(from);
        if (!source) return std::move(source).error();
        auto target = parent_of(to);
        if (!target) return std::move(target).error();
        std::wstring from_path = detail::append_component(source->first.path, source->second);
        std::wstring to_path = detail::append_component(target->first.path, target->second);
        // No MOVEFILE_REPLACE_EXISTING: fails when `to` exists, atomically (the file system checks
        // and renames in one step). No MOVEFILE_COPY_ALLOWED: another volume fails, never copies.
        if (!::MoveFileExW(from_path.c_str(), to_path.c_str(), MOVEFILE_WRITE_THROUGH))
            return failure(::GetLastError(), from, "cannot move to " + path_text(m_root / to));
        return Ok{};
    }

    Status make_directories(const fs::path& dir) override
    {
        BK_TRY(check(dir));
        auto parts = components_of(dir);
        auto walked = detail::walk_folders(m_held.path, parts, parts.size(), true);
        if (!walked.ok()) return walk_error(walked.failure, dir, "cannot create folder");
        return Ok{};
    }

    Status write_file_atomic(const fs::path& path, ByteView bytes, FileAccess access) override
    {
        auto parent = parent_of(path);
        if (!parent) return std::move(parent).error();
        auto& [folder, name] = *parent;
        std::wstring target = detail::append_component(folder.path, name);
        std::wstring temporary =
            detail::append_component(folder.path, detail::temporary_name_for(name));
        Handle file = detail::create_new_file(temporary, access == FileAccess::OwnerOnly);
        if (!file.valid()) return failure(::GetLastError(), path, "cannot create");
        DWORD error = detail::write_and_flush(file.get(), bytes);
        file.reset();
        if (error == 0 && !::MoveFileExW(temporary.c_str(), target.c_str(),
                                         MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
            error = ::GetLastError();
        if (error != 0) {
            ::DeleteFileW(temporary.c_str());
            Error cause = detail::error_from_win32(error, m_root / path, "cannot write");
            return make_error(ErrorCode::Io, cause.path, cause.message);
        }
        if (DWORD flushed = detail::flush_folder(folder.path); flushed != 0)
            return failure(flushed, path.parent_path(), "cannot sync");
        return Ok{};
    }

    Status sync_directory(const fs::path& dir) override
    {
        std::wstring path = m_held.path;
        std::vector<Handle> held;
        if (!dir.empty()) {
            BK_TRY(check(dir));
            auto parts = components_of(dir);
            auto walked = detail::walk_folders(m_held.path, parts, parts.size(), false);
            if (!walked.ok()) return walk_error(walked.failure, dir, "cannot open folder");
            path = walked.folder.path;
            held = std::move(walked.folder.held);
        }
        if (DWORD error = detail::flush_folder(path); error != 0)
            return failure(error, dir, "cannot sync");
        return Ok{};
    }

    Status remove_all(const fs::path& path) override
    {
        auto parent = parent_of(path);
        if (!parent) return std::move(parent).error();
        if (DWORD error = remove_tree(detail::append_component(parent->first.path, parent->second));
            error != 0)
            return failure(error, path, "cannot delete");
        return Ok{};
    }

    Result<std::unique_ptr<FileLock>> try_lock(const fs::path& lock_file) override
    {
        auto parent = parent_of(lock_file);
        if (!parent) return std::move(parent).error();
        std::wstring path = detail::append_component(parent->first.path, parent->second);
        Handle file(::CreateFileW(path.c_str(), GENERIC_READ | GENERIC_WRITE,
                                  FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_ALWAYS,
                                  FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, nullptr));
        if (!file.valid()) {
            DWORD error = ::GetLastError();
            if (error == ERROR_SHARING_VIOLATION) return in_use(lock_file);
            return failure(error, lock_file, "cannot open the lock");
        }
        if (detail::EntryKind kind = detail::kind_of_handle(file.get());
            !kind.ok || kind.reparse_point || kind.directory)
            return failure(ERROR_CANT_RESOLVE_FILENAME, lock_file, "cannot open the lock");
        OVERLAPPED at{};
        if (!::LockFileEx(file.get(), LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0,
                          &at)) {
            DWORD error = ::GetLastError();
            if (error == ERROR_LOCK_VIOLATION || error == ERROR_IO_PENDING)
                return in_use(lock_file);
            return failure(error, lock_file, "cannot lock");
        }
        return std::unique_ptr<FileLock>(std::make_unique<Win32FileLock>(std::move(file)));
    }

    std::optional<EntryIdentity> identity_of(const fs::path& path) const override
    {
        auto parent = parent_of(path);
        if (!parent) return std::nullopt;
        Handle entry = detail::open_entry(
            detail::append_component(parent->first.path, parent->second), FILE_READ_ATTRIBUTES);
        if (!entry.valid()) return std::nullopt;
        return detail::identity_of_handle(entry.get());
    }

private:
    Status check(const fs::path& relative) const
    {
        if (is_contained_path(relative)) return Ok{};
        return make_error(ErrorCode::InvalidArgument, path_text(relative),
                          "refused: this path is not a plain path inside " + path_text(m_root));
    }

    Error in_use(const fs::path& lock_file) const
    {
        return make_error(
            ErrorCode::InUse, path_text(m_root / lock_file),
            "in use: another bkcheck is changing these backups; try again when it is done");
    }

    Error failure(DWORD error, const fs::path& relative, const std::string& doing) const
    {
        if (error == ERROR_CANT_RESOLVE_FILENAME) return link_on_the_way(relative, doing);
        return detail::error_from_win32(error, m_root / relative, doing);
    }

    Error link_on_the_way(const fs::path& relative, const std::string& doing) const
    {
        return make_error(ErrorCode::Io, path_text(m_root / relative),
                          doing +
                              ": a link is on the way, and bkcheck does not follow "
                              "links when it changes a folder of backups");
    }

    Error walk_error(const detail::WalkFailure& walk, const fs::path& relative,
                     const std::string& doing) const
    {
        if (walk.errno_value == ELOOP) return link_on_the_way(relative, doing);
        if (walk.win32 != 0) return detail::error_from_win32(walk.win32, m_root / relative, doing);
        return error_from_errno(walk.errno_value, m_root / relative, doing);
    }

    // The folder holding the last component, walked and held, and that component.
    Result<std::pair<HeldFolder, std::string>> parent_of(const fs::path& relative) const
    {
        BK_TRY(check(relative));
        std::vector<std::string> parts = components_of(relative);
        std::string name = parts.back();
        parts.pop_back();
        auto walked = detail::walk_folders(m_held.path, parts, parts.size(), false);
        if (!walked.ok()) return walk_error(walked.failure, relative, "cannot reach");
        return std::pair<HeldFolder, std::string>(std::move(walked.folder), std::move(name));
    }

    fs::path m_root;
    HeldFolder m_held;
};

class Win32WritableFileSystem final : public WritableFileSystem {
public:
    Result<std::unique_ptr<WritableTree>> open_tree(const fs::path& root) override
    {
        auto held = detail::hold_root(root);
        if (!held) return std::move(held).error();
        return std::unique_ptr<WritableTree>(
            std::make_unique<Win32WritableTree>(root, std::move(*held)));
    }

    Status write_file_atomic(const fs::path& path, ByteView bytes, FileAccess access) override
    {
        fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
        auto tree = open_tree(folder);
        if (!tree)
            return make_error(tree.error().code, path_text(path),
                              "cannot create: " + tree.error().message);
        return (*tree)->write_file_atomic(path.filename(), bytes, access);
    }

    Status write_output_file(const fs::path& path, ByteView bytes,
                             const OutputFileOptions& options) override
    {
        return detail::write_output_file_win32(path, bytes, options);
    }

    Result<std::unique_ptr<OutputTree>> open_output_tree(const fs::path& root,
                                                         const OutputTreeOptions& options) override
    {
        return detail::open_output_tree_win32(root, options);
    }
};

}  // namespace

WritableFileSystem& real_writable_file_system()
{
    static Win32WritableFileSystem instance;
    return instance;
}

}  // namespace bkcheck
