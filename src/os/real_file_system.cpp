#include "bkcheck/file_system.h"

#include "bkcheck/path_text.h"
#include "descriptor.h"
#include "open_regular_file.h"
#include "platform.h"
#include "read_ahead.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <pwd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#if BKCHECK_APPLE_CALLS
#include <sys/mount.h>
#else
#include <sys/statvfs.h>
#endif
#include <unistd.h>
#include <utility>

namespace bkcheck {
namespace {

// The mode bits answer for nearly every file without a system call; only when they say no is the
// kernel asked (supplementary groups, ACLs, root's override), so a million-blob verify pays
// nothing.
// `name` relative to the folder `dir` (AT_FDCWD: the working folder).
bool may_read(int dir, const char* name, const struct stat& info)
{
    if ((info.st_mode & S_IROTH) != 0) return true;
    if (info.st_uid == ::geteuid())
        return (info.st_mode & S_IRUSR) != 0 || ::faccessat(dir, name, R_OK, AT_EACCESS) == 0;
    if (info.st_gid == ::getegid() && (info.st_mode & S_IRGRP) != 0) return true;
    return ::faccessat(dir, name, R_OK, AT_EACCESS) == 0;
}

// The user's name, or the uid as text when the system has none for it.
std::string user_name(uid_t uid)
{
    std::vector<char> buffer(16384);
    struct passwd entry {};
    struct passwd* found = nullptr;
    if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr)
        return found->pw_name;
    return std::to_string(uid);
}

EntryType type_from_mode(mode_t mode)
{
    if (S_ISREG(mode)) return EntryType::File;
    if (S_ISDIR(mode)) return EntryType::Directory;
    if (S_ISLNK(mode)) return EntryType::Symlink;
    return EntryType::Other;
}

using FileDescriptor = detail::Descriptor;

class PosixSequentialReader final : public SequentialReader {
public:
    PosixSequentialReader(int fd, fs::path path) : m_fd(fd), m_path(std::move(path))
    {
        // The blob is read once, front to back: tell the kernel to read ahead aggressively.
        detail::advise_sequential_read(fd);
    }

    Result<std::size_t> read(std::span<std::uint8_t> buffer) override
    {
        for (;;) {
            ssize_t n = ::read(m_fd.get(), buffer.data(), buffer.size());
            if (n >= 0) return static_cast<std::size_t>(n);
            if (errno != EINTR) return error_from_errno(errno, m_path, "cannot read");
        }
    }

private:
    FileDescriptor m_fd;
    fs::path m_path;
};

class PosixRandomAccessReader final : public RandomAccessReader {
public:
    PosixRandomAccessReader(int fd, std::uint64_t size, fs::path path)
        : m_fd(fd), m_size(size), m_path(std::move(path))
    {
    }

    std::uint64_t size() const override { return m_size; }

    Result<std::size_t> read_at(std::uint64_t offset, std::span<std::uint8_t> buffer) const override
    {
        std::size_t done = 0;
        while (done < buffer.size()) {
            ssize_t n = ::pread(m_fd.get(), buffer.data() + done, buffer.size() - done,
                                static_cast<off_t>(offset + done));
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) return error_from_errno(errno, m_path, "cannot read");
            if (n == 0) break;  // the end of the file
            done += static_cast<std::size_t>(n);
        }
        return done;
    }

private:
    FileDescriptor m_fd;
    std::uint64_t m_size;
    fs::path m_path;
};

// fstatat relative to the open folder: one component to look up instead of the whole path.
class PosixFolderEntries final : public FolderEntries {
public:
    PosixFolderEntries(FileDescriptor fd, fs::path dir) : m_fd(std::move(fd)), m_dir(std::move(dir))
    {
    }

    Result<FileStat> stat(const std::string& name) const override
    {
        struct stat info {};
        if (::fstatat(m_fd.get(), name.c_str(), &info, 0) != 0) {
            int error = errno;
            return error_from_errno(error, m_dir / name, "cannot stat");
        }
        return FileStat{type_from_mode(info.st_mode), static_cast<std::uint64_t>(info.st_size),
                        static_cast<std::int64_t>(info.st_mtime),
                        may_read(m_fd.get(), name.c_str(), info)};
    }

private:
    FileDescriptor m_fd;
    fs::path m_dir;
};

class PosixFileSystem final : public FileSystem {
public:
    Result<FileStat> stat(const fs::path& path) const override
    {
        struct stat info {};
        if (::stat(path.c_str(), &info) != 0) return error_from_errno(errno, path, "cannot stat");
        return FileStat{type_from_mode(info.st_mode), static_cast<std::uint64_t>(info.st_size),
                        static_cast<std::int64_t>(info.st_mtime),
                        may_read(AT_FDCWD, path.c_str(), info)};
    }

    Result<std::unique_ptr<FolderEntries>> open_folder(const fs::path& dir) const override
    {
        int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) return error_from_errno(errno, dir, "cannot open folder");
        // A caller may keep hundreds of these (one per blob folder): never so many that opening a
        // file to read fails for want of a descriptor (macOS allows 256 by default). Past half the
        // limit, the caller stats by path instead.
        struct rlimit limit {};
        if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY &&
            static_cast<rlim_t>(fd) >= limit.rlim_cur / 2) {
            ::close(fd);
            return make_error(ErrorCode::Io, path_text(dir),
                              "not kept open: half the open files allowed are in use");
        }
        return std::unique_ptr<FolderEntries>(
            std::make_unique<PosixFolderEntries>(FileDescriptor(fd), dir));
    }

    Result<std::vector<DirEntry>> list(const fs::path& dir) const override
    {
        DIR* handle = ::opendir(dir.c_str());
        if (handle == nullptr) return error_from_errno(errno, dir, "cannot list folder");
        std::vector<DirEntry> entries;
        errno = 0;
        while (dirent* entry = ::readdir(handle)) {
            std::string name = entry->d_name;
            if (name == "." || name == "..") continue;
            entries.push_back({std::move(name), entry_type(dir, *entry),
                               static_cast<std::uint64_t>(entry->d_ino)});
        }
        int read_errno = errno;
        ::closedir(handle);
        if (read_errno != 0) return error_from_errno(read_errno, dir, "cannot list folder");
        std::sort(entries.begin(), entries.end(),
                  [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
        return entries;
    }

    Result<Bytes> read_file(const fs::path& path, std::uint64_t max_size) const override
    {
        auto fd_number = detail::open_regular_file(path);
        if (!fd_number) return std::move(fd_number).error();
        FileDescriptor fd(*fd_number);
        struct stat info {};
        if (::fstat(fd.get(), &info) != 0) return error_from_errno(errno, path, "cannot stat");
        auto size = static_cast<std::uint64_t>(info.st_size);
        if (size > max_size) {
            return make_error(ErrorCode::Corrupt, path_text(path),
                              "file is " + std::to_string(size) + " bytes, more than the " +
                                  std::to_string(max_size) + " this kind of file can be");
        }
        Bytes bytes(size);
        std::size_t done = 0;
        while (done < bytes.size()) {
            ssize_t n = ::read(fd.get(), bytes.data() + done, bytes.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) return error_from_errno(errno, path, "cannot read");
            if (n == 0) break;  // the file shrank while we read it
            done += static_cast<std::size_t>(n);
        }
        bytes.resize(done);
        return bytes;
    }

    Result<std::unique_ptr<SequentialReader>> open_read(const fs::path& path) const override
    {
        auto fd = detail::open_regular_file(path);
        if (!fd) return std::move(fd).error();
        return std::unique_ptr<SequentialReader>(
            std::make_unique<PosixSequentialReader>(*fd, path));
    }

    Result<std::unique_ptr<RandomAccessReader>> open_random_access(
        const fs::path& path) const override
    {
        auto fd_number = detail::open_regular_file(path);
        if (!fd_number) return std::move(fd_number).error();
        FileDescriptor fd(*fd_number);
        struct stat info {};
        if (::fstat(fd.get(), &info) != 0) return error_from_errno(errno, path, "cannot stat");
        return std::unique_ptr<RandomAccessReader>(std::make_unique<PosixRandomAccessReader>(
            fd.release(), static_cast<std::uint64_t>(info.st_size), path));
    }

    Result<std::uint64_t> free_space(const fs::path& path) const override
    {
#if BKCHECK_APPLE_CALLS
        // macOS's statvfs counts blocks in 32 bits, too few for a large volume; statfs has 64.
        struct statfs info {};
        if (::statfs(path.c_str(), &info) != 0)
            return error_from_errno(errno, path, "cannot ask the free space of");
        return static_cast<std::uint64_t>(info.f_bavail) * static_cast<std::uint64_t>(info.f_bsize);
#else
        struct statvfs info {};
        if (::statvfs(path.c_str(), &info) != 0)
            return error_from_errno(errno, path, "cannot ask the free space of");
        return static_cast<std::uint64_t>(info.f_bavail) *
               static_cast<std::uint64_t>(info.f_frsize);
#endif
    }

    Result<std::string> read_link(const fs::path& path) const override
    {
        // One byte more than the longest target accepted, so a longer one is seen, not cut short.
        std::string target(k_max_link_target + 1, '\0');
        ssize_t n = ::readlink(path.c_str(), target.data(), target.size());
        if (n < 0) {
            if (errno == EINVAL)
                return make_error(ErrorCode::Io, path_text(path),
                                  "cannot read the link: not a symbolic link");
            return error_from_errno(errno, path, "cannot read the link");
        }
        if (static_cast<std::size_t>(n) > k_max_link_target) {
            return make_error(
                ErrorCode::Corrupt, path_text(path),
                "the link's target is longer than " + std::to_string(k_max_link_target) + " bytes");
        }
        target.resize(static_cast<std::size_t>(n));
        return target;
    }

    FolderAccess folder_access(const fs::path& dir) const override
    {
        FolderAccess access;
        struct stat info {};
        if (::stat(dir.c_str(), &info) == 0) access.owner = user_name(info.st_uid);
        if (::faccessat(AT_FDCWD, dir.c_str(), W_OK | X_OK, AT_EACCESS) != 0) {
            access.may_change = false;
            access.read_only_volume = errno == EROFS;
        }
        return access;
    }

    Result<fs::path> real_path(const fs::path& path) const override
    {
        char* resolved = ::realpath(path.c_str(), nullptr);
        if (resolved == nullptr) return error_from_errno(errno, path, "cannot resolve the path");
        fs::path out(resolved);
        std::free(resolved);
        return out;
    }

private:
    static EntryType entry_type(const fs::path& dir, const dirent& entry)
    {
        switch (entry.d_type) {
            case DT_REG:
                return EntryType::File;
            case DT_DIR:
                return EntryType::Directory;
            case DT_LNK:
                return EntryType::Symlink;
            case DT_UNKNOWN:
                break;  // some filesystems (XFS without ftype, NFS) do not say: ask lstat
            default:
                return EntryType::Other;
        }
        struct stat info {};
        if (::lstat((dir / entry.d_name).c_str(), &info) != 0) return EntryType::Other;
        return type_from_mode(info.st_mode);
    }
};

}  // namespace

const FileSystem& real_file_system()
{
    static const PosixFileSystem instance;
    return instance;
}

// O_NONBLOCK makes the open of a FIFO return at once; fstat decides before any byte is read.
Result<int> detail::open_regular_file(const fs::path& path)
{
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return error_from_errno(errno, path, "cannot open");
    FileDescriptor owned(fd);
    struct stat info {};
    if (::fstat(fd, &info) != 0) return error_from_errno(errno, path, "cannot stat");
    if (!S_ISREG(info.st_mode)) {
        return make_error(ErrorCode::Io, path_text(path),
                          S_ISFIFO(info.st_mode)  ? "is a FIFO (named pipe), not a regular file"
                          : S_ISDIR(info.st_mode) ? "is a folder, not a regular file"
                                                  : "is a device or socket, not a regular file");
    }
    int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
        return error_from_errno(errno, path, "cannot open");
    }
    return owned.release();
}

Status detail::require_regular_file(const fs::path& path)
{
    auto fd = open_regular_file(path);
    if (!fd) return std::move(fd).error();
    ::close(*fd);
    return Ok{};
}

}  // namespace bkcheck
