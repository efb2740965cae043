#include "bkcheck/file_system.h"
#include "bkcheck/writable_file_system.h"

#include <cerrno>
#include <cstdio>
#include <system_error>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace bkcheck {
namespace {

class PosixFileLock final : public FileLock {
public:
    explicit PosixFileLock(int fd) : m_fd(fd) {}
    ~PosixFileLock() override { ::close(m_fd); }  // closing releases the flock
    PosixFileLock(const PosixFileLock&) = delete;
    PosixFileLock& operator=(const PosixFileLock&) = delete;

private:
    int m_fd;
};

Status sync_path(const fs::path& path, int flags)
{
    int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) return error_from_errno(errno, path, "cannot open to sync");
    int rc = ::fsync(fd);
    int saved = errno;
    ::close(fd);
    if (rc != 0) return error_from_errno(saved, path, "cannot sync");
    return Ok{};
}

class PosixWritableFileSystem final : public WritableFileSystem {
public:
    Status rename(const fs::path& from, const fs::path& to) override
    {
        if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return Ok{};
        if (errno != EINVAL && errno != ENOSYS) return error_from_errno(errno, from, "cannot move to " + to.string());
        // A filesystem without RENAME_NOREPLACE: check, then rename (the window is ours alone, under the lock).
        if (entry_exists(to)) return make_error(ErrorCode::Io, to.string(), "cannot move here: it already exists");
        if (::rename(from.c_str(), to.c_str()) != 0) return error_from_errno(errno, from, "cannot move to " + to.string());
        return Ok{};
    }

    Status make_directories(const fs::path& dir) override
    {
        std::error_code error;
        fs::create_directories(dir, error);
        if (error) return make_error(ErrorCode::Io, dir.string(), "cannot create folder: " + error.message());
        return Ok{};
    }

    Status write_file_atomic(const fs::path& path, ByteView bytes, FileAccess access) override
    {
        fs::path temporary = path.string() + ".bkcheck-tmp";
        mode_t mode = access == FileAccess::OwnerOnly ? 0600 : 0644;
        int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
        if (fd < 0) return error_from_errno(errno, temporary, "cannot create");
        // O_CREAT's mode does not apply to a temporary left behind by a crash, nor escape the umask.
        if (::fchmod(fd, mode) != 0) {
            int saved = errno;
            ::close(fd);
            ::unlink(temporary.c_str());
            return error_from_errno(saved, temporary, "cannot set the mode of");
        }
        std::size_t done = 0;
        while (done < bytes.size()) {
            ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) break;
            done += static_cast<std::size_t>(n);
        }
        bool written = done == bytes.size() && ::fsync(fd) == 0;
        int saved = errno;
        ::close(fd);
        if (!written || ::rename(temporary.c_str(), path.c_str()) != 0) {
            if (written) saved = errno;
            ::unlink(temporary.c_str());
            return error_from_errno(saved, path, "cannot write");
        }
        return sync_directory(path.parent_path());
    }

    Status sync_directory(const fs::path& dir) override
    {
        return sync_path(dir.empty() ? fs::path(".") : dir, O_RDONLY | O_DIRECTORY);
    }

    Status remove_all(const fs::path& path) override
    {
        std::error_code error;
        fs::remove_all(path, error);
        if (error) return make_error(ErrorCode::Io, path.string(), "cannot delete: " + error.message());
        return Ok{};
    }

    Result<std::unique_ptr<FileLock>> try_lock(const fs::path& lock_file) override
    {
        int fd = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0) return error_from_errno(errno, lock_file, "cannot open the lock");
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int saved = errno;
            ::close(fd);
            if (saved == EWOULDBLOCK) {
                return make_error(ErrorCode::InUse, lock_file.string(),
                                  "in use: another bkcheck is changing these backups; try again when it is done");
            }
            return error_from_errno(saved, lock_file, "cannot lock");
        }
        return std::unique_ptr<FileLock>(std::make_unique<PosixFileLock>(fd));
    }

    std::optional<EntryIdentity> identity_of(const fs::path& path) const override
    {
        struct stat info {};
        if (::lstat(path.c_str(), &info) != 0) return std::nullopt;
        return EntryIdentity{static_cast<std::uint64_t>(info.st_dev), static_cast<std::uint64_t>(info.st_ino)};
    }
};

}  // namespace

WritableFileSystem& real_writable_file_system()
{
    static PosixWritableFileSystem instance;
    return instance;
}

}  // namespace bkcheck
