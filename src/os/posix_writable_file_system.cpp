// The POSIX WritableFileSystem. A WritableTree holds a descriptor of its root and reaches every
// path from it with openat(O_NOFOLLOW | O_DIRECTORY) one component at a time, then acts on the last
// component with the *at call (rename_exclusive, mkdirat, unlinkat, fstatat(AT_SYMLINK_NOFOLLOW)):
// a link anywhere on the way is refused (ELOOP, ENOTDIR), and the last component is never followed.
// No string is ever compared with the root to decide containment.
#include "descriptor.h"
#include "durable_sync.h"
#include "exclusive_rename.h"
#include "posix_output_file.h"
#include "posix_output_tree.h"

#include "bkcheck/file_system.h"
#include "bkcheck/path_text.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace bkcheck {
namespace {

using detail::Descriptor;

class PosixFileLock final : public FileLock {
public:
    explicit PosixFileLock(int fd) : m_fd(fd) {}
    ~PosixFileLock() override { ::close(m_fd); }  // closing releases the flock
    PosixFileLock(const PosixFileLock&) = delete;
    PosixFileLock& operator=(const PosixFileLock&) = delete;

private:
    int m_fd;
};

constexpr int k_directory_flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

// Opens folder `name` in `dir` without following a link. Linux answers ENOTDIR rather than ELOOP
// for a link opened with O_DIRECTORY | O_NOFOLLOW; errno is set to ELOOP then, so callers can say
// "a link".
int open_folder_at(int dir, const std::string& name)
{
    int fd = ::openat(dir, name.c_str(), k_directory_flags);
    if (fd >= 0 || errno != ENOTDIR) return fd;
    struct stat info {};
    if (::fstatat(dir, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(info.st_mode))
        errno = ELOOP;
    else
        errno = ENOTDIR;
    return -1;
}

std::vector<std::string> components_of(const fs::path& relative)
{
    std::vector<std::string> parts;
    for (const fs::path& part : relative) parts.push_back(path_text(part));
    return parts;
}

Status write_all_and_sync(int fd, ByteView bytes)
{
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return make_error(ErrorCode::Io, "", std::strerror(errno));
        done += static_cast<std::size_t>(n);
    }
    if (detail::durable_sync(fd) != 0) return make_error(ErrorCode::Io, "", std::strerror(errno));
    return Ok{};
}

std::string temporary_name(const std::string& name)
{
    static thread_local std::mt19937_64 random{std::random_device{}()};
    char suffix[24];
    std::snprintf(suffix, sizeof suffix, "%016llx", static_cast<unsigned long long>(random()));
    return "." + name + ".bkcheck-" + std::to_string(::getpid()) + "-" + suffix;
}

// Deletes `name` in `dir` and, when it is a folder, everything in it; links are removed, not
// followed.
int remove_tree_at(int dir, const std::string& name)
{
    struct stat info {};
    if (::fstatat(dir, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(info.st_mode)) return ::unlinkat(dir, name.c_str(), 0);
    int fd = open_folder_at(dir, name);
    if (fd < 0) return -1;
    DIR* handle = ::fdopendir(fd);
    if (handle == nullptr) {
        ::close(fd);
        return -1;
    }
    std::vector<std::string> children;
    while (dirent* entry = ::readdir(handle)) {
        std::string child = entry->d_name;
        if (child != "." && child != "..") children.push_back(std::move(child));
    }
    int failed = 0;
    for (const std::string& child : children) {
        if (remove_tree_at(::dirfd(handle), child) != 0) failed = errno;
    }
    ::closedir(handle);
    if (failed != 0) {
        errno = failed;
        return -1;
    }
    return ::unlinkat(dir, name.c_str(), AT_REMOVEDIR);
}

class PosixWritableTree final : public WritableTree {
public:
    PosixWritableTree(fs::path root, Descriptor descriptor)
        : m_root(std::move(root)), m_descriptor(std::move(descriptor))
    {
    }

    const fs::path& root() const override { return m_root; }

    Status rename(const fs::path& from, const fs::path& to) override
    {
        auto source = parent_of(from);
        if (!source) return std::move(source).error();
        auto target = parent_of(to);
        if (!target) return std::move(target).error();
        if (detail::rename_exclusive(source->first.get(), source->second.c_str(),
                                     target->first.get(), target->second.c_str()) != 0) {
            return failure(errno, from, "cannot move to " + path_text(m_root / to));
        }
        return Ok{};
    }

    Status make_directories(const fs::path& dir) override
    {
        BK_TRY(check(dir));
        Descriptor current = duplicate_root();
        for (const std::string& part : components_of(dir)) {
            if (::mkdirat(current.get(), part.c_str(), 0755) != 0 && errno != EEXIST) {
                return failure(errno, dir, "cannot create folder");
            }
            Descriptor next(open_folder_at(current.get(), part));
            if (next.get() < 0) return failure(errno, dir, "cannot create folder");
            current = std::move(next);
        }
        return Ok{};
    }

    Status write_file_atomic(const fs::path& path, ByteView bytes, FileAccess access) override
    {
        auto parent = parent_of(path);
        if (!parent) return std::move(parent).error();
        auto& [folder, name] = *parent;
        mode_t mode = access == FileAccess::OwnerOnly ? 0600 : 0644;
        // Created exclusively under a fresh name: never a leftover, never another's file or link.
        std::string temporary = temporary_name(name);
        Descriptor fd(::openat(folder.get(), temporary.c_str(),
                               O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
        if (fd.get() < 0) return failure(errno, path, "cannot create");
        Status written = ::fchmod(fd.get(), mode) == 0
                             ? write_all_and_sync(fd.get(), bytes)
                             : make_error(ErrorCode::Io, "", std::strerror(errno));
        if (written &&
            ::renameat(folder.get(), temporary.c_str(), folder.get(), name.c_str()) != 0) {
            written = make_error(ErrorCode::Io, "", std::strerror(errno));
        }
        if (!written) {
            ::unlinkat(folder.get(), temporary.c_str(), 0);
            return make_error(ErrorCode::Io, path_text(m_root / path),
                              "cannot write: " + written.error().message);
        }
        if (detail::durable_sync(folder.get()) != 0)
            return failure(errno, path.parent_path(), "cannot sync");
        return Ok{};
    }

    Status sync_directory(const fs::path& dir) override
    {
        Descriptor folder = duplicate_root();
        if (!dir.empty()) {
            auto opened = open_directory(dir);
            if (!opened) return std::move(opened).error();
            folder = std::move(*opened);
        }
        if (detail::durable_sync(folder.get()) != 0) return failure(errno, dir, "cannot sync");
        return Ok{};
    }

    Status remove_all(const fs::path& path) override
    {
        auto parent = parent_of(path);
        if (!parent) return std::move(parent).error();
        if (remove_tree_at(parent->first.get(), parent->second) != 0)
            return failure(errno, path, "cannot delete");
        return Ok{};
    }

    Result<std::unique_ptr<FileLock>> try_lock(const fs::path& lock_file) override
    {
        auto parent = parent_of(lock_file);
        if (!parent) return std::move(parent).error();
        Descriptor fd(::openat(parent->first.get(), parent->second.c_str(),
                               O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644));
        if (fd.get() < 0) return failure(errno, lock_file, "cannot open the lock");
        if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
            if (errno == EWOULDBLOCK) {
                return make_error(
                    ErrorCode::InUse, path_text(m_root / lock_file),
                    "in use: another bkcheck is changing these backups; try again when it is done");
            }
            return failure(errno, lock_file, "cannot lock");
        }
        return std::unique_ptr<FileLock>(std::make_unique<PosixFileLock>(fd.release()));
    }

    std::optional<EntryIdentity> identity_of(const fs::path& path) const override
    {
        auto parent = parent_of(path);
        if (!parent) return std::nullopt;
        struct stat info {};
        if (::fstatat(parent->first.get(), parent->second.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0)
            return std::nullopt;
        return EntryIdentity{static_cast<std::uint64_t>(info.st_dev),
                             static_cast<std::uint64_t>(info.st_ino), 0};
    }

private:
    Status check(const fs::path& relative) const
    {
        if (is_contained_path(relative)) return Ok{};
        return make_error(ErrorCode::InvalidArgument, path_text(relative),
                          "refused: this path is not a plain path inside " + path_text(m_root));
    }

    // ELOOP and ENOTDIR on the way mean a link (or a file) where a folder should be: say so.
    Error failure(int errno_value, const fs::path& relative, const std::string& doing) const
    {
        fs::path path = m_root / relative;
        if (errno_value == ELOOP) {
            return make_error(ErrorCode::Io, path_text(path),
                              doing +
                                  ": a link is on the way, and bkcheck does not follow "
                                  "links when it changes a folder of backups");
        }
        return error_from_errno(errno_value, path, doing);
    }

    Descriptor duplicate_root() const
    {
        return Descriptor(::fcntl(m_descriptor.get(), F_DUPFD_CLOEXEC, 0));
    }

    Result<Descriptor> open_directory(const fs::path& relative) const
    {
        BK_TRY(check(relative));
        Descriptor current = duplicate_root();
        for (const std::string& part : components_of(relative)) {
            Descriptor next(open_folder_at(current.get(), part));
            if (next.get() < 0) return failure(errno, relative, "cannot open folder");
            current = std::move(next);
        }
        return current;
    }

    // The folder holding the last component, opened without following links, and that component.
    Result<std::pair<Descriptor, std::string>> parent_of(const fs::path& relative) const
    {
        BK_TRY(check(relative));
        std::vector<std::string> parts = components_of(relative);
        std::string name = parts.back();
        parts.pop_back();
        Descriptor current = duplicate_root();
        for (const std::string& part : parts) {
            Descriptor next(open_folder_at(current.get(), part));
            if (next.get() < 0) return failure(errno, relative, "cannot reach");
            current = std::move(next);
        }
        return std::pair<Descriptor, std::string>(std::move(current), std::move(name));
    }

    fs::path m_root;
    Descriptor m_descriptor;
};

class PosixWritableFileSystem final : public WritableFileSystem {
public:
    Result<std::unique_ptr<WritableTree>> open_tree(const fs::path& root) override
    {
        Descriptor fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (fd.get() < 0) return error_from_errno(errno, root, "cannot open folder");
        return std::unique_ptr<WritableTree>(
            std::make_unique<PosixWritableTree>(root, std::move(fd)));
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
        return detail::write_output_file_posix(path, bytes, options);
    }

    Result<std::unique_ptr<OutputTree>> open_output_tree(const fs::path& root,
                                                         const OutputTreeOptions& options) override
    {
        return detail::open_output_tree_posix(root, options);
    }
};

}  // namespace

WritableFileSystem& real_writable_file_system()
{
    static PosixWritableFileSystem instance;
    return instance;
}

}  // namespace bkcheck
