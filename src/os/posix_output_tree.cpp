// The POSIX OutputTree (output_tree.h), behind WritableFileSystem::open_output_tree.
#include "posix_output_tree.h"
#include "durable_sync.h"
#include "exclusive_rename.h"

#include "bkcheck/file_system.h"
#include "bkcheck/path_text.h"
#include "text.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <set>

namespace bkcheck {
namespace {

class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : m_fd(fd) {}
    Fd(Fd&& other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }
    Fd& operator=(Fd&& other) noexcept
    {
        if (this != &other) {
            reset();
            m_fd = other.m_fd;
            other.m_fd = -1;
        }
        return *this;
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }
    int get() const { return m_fd; }
    bool valid() const { return m_fd >= 0; }

private:
    void reset()
    {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = -1;
    }
    int m_fd = -1;
};

std::string joined(const std::vector<std::string>& components, std::size_t count)
{
    std::string text;
    for (std::size_t i = 0; i < count && i < components.size(); ++i)
        text += (i ? "/" : "") + components[i];
    return text;
}

// Per-name refusals a caller skips; anything else stops the run.
bool is_name_errno(int value)
{
    // EINVAL and EILSEQ: the disk refuses the name itself (a ':' on exFAT, bad UTF-8 on APFS).
    return value == ELOOP || value == ENOTDIR || value == EEXIST || value == ENAMETOOLONG ||
           value == EISDIR || value == ENOTEMPTY || value == EMLINK || value == EINVAL ||
           value == EILSEQ;
}

constexpr std::string_view k_already_exists = "it already exists (--overwrite replaces files)";

Error output_error(int value, const std::string& name, const std::string& doing)
{
    std::string why = value == ELOOP     ? "a component is a symlink, which bkcheck never follows"
                      : value == ENOTDIR ? "a component is not a folder"
                      : value == EEXIST  ? std::string(k_already_exists)
                                         : std::string(std::strerror(value));
    ErrorCode code = is_name_errno(value) ? ErrorCode::InvalidArgument
                     : value == ENOENT    ? ErrorCode::NotFound
                                          : ErrorCode::Io;
    return make_error(code, name, doing + ": " + why);
}

Status sync_fd(int fd, const std::string& name)
{
    if (detail::durable_sync(fd) != 0) return output_error(errno, name, "cannot flush to disk");
    return Ok{};
}

// Renames within one folder; never replaces unless `replace`.
int rename_in(int dir_fd, const char* from, const char* to, bool replace)
{
    if (replace) return ::renameat(dir_fd, from, dir_fd, to);
    return detail::rename_exclusive(dir_fd, from, dir_fd, to);
}

std::string temporary_name()
{
    static std::atomic<std::uint64_t> counter{0};
    return std::string(k_partial_prefix) + std::to_string(::getpid()) + "-" +
           std::to_string(counter.fetch_add(1));
}

Status set_times(int fd, std::int64_t mtime, const std::string& name)
{
    timespec times[2] = {{static_cast<time_t>(mtime), 0}, {static_cast<time_t>(mtime), 0}};
    if (::futimens(fd, times) != 0)
        return output_error(errno, name, "cannot set the modification time");
    return Ok{};
}

class PosixOutputFile : public OutputFile {
public:
    PosixOutputFile(Fd dir, Fd file, std::string temp, std::string leaf, std::string name,
                    bool overwrite)
        : m_dir(std::move(dir)),
          m_file(std::move(file)),
          m_temp(std::move(temp)),
          m_leaf(std::move(leaf)),
          m_name(std::move(name)),
          m_overwrite(overwrite)
    {
    }
    ~PosixOutputFile() override
    {
        if (!m_committed) ::unlinkat(m_dir.get(), m_temp.c_str(), 0);
    }

    Status write(ByteView bytes) override
    {
        while (!bytes.empty()) {
            ssize_t done = ::write(m_file.get(), bytes.data(), bytes.size());
            if (done < 0) {
                if (errno == EINTR) continue;
                return output_error(errno, m_name, "cannot write");
            }
            bytes = bytes.subspan(static_cast<std::size_t>(done));
        }
        return Ok{};
    }

    Status commit(std::uint32_t mode, std::int64_t mtime) override
    {
        if (::fchmod(m_file.get(), static_cast<mode_t>(mode & 0777)) != 0) {
            return output_error(errno, m_name, "cannot set the permissions");
        }
        if (auto status = set_times(m_file.get(), mtime, m_name); !status) return status;
        if (auto status = sync_fd(m_file.get(), m_name); !status) return status;
        if (rename_in(m_dir.get(), m_temp.c_str(), m_leaf.c_str(), m_overwrite) != 0) {
            return output_error(errno, m_name, "cannot give the file its name");
        }
        m_committed = true;
        return Ok{};
    }

private:
    Fd m_dir;
    Fd m_file;
    std::string m_temp;
    std::string m_leaf;
    std::string m_name;
    bool m_overwrite;
    bool m_committed = false;
};

class PosixOutputTree : public OutputTree {
public:
    PosixOutputTree(Fd root, std::string root_name, bool overwrite)
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

    Status set_directory_attributes(const std::vector<std::string>& components, std::uint32_t mode,
                                    std::int64_t mtime) override
    {
        auto dir = open_directory(components, components.size(), false);
        if (!dir) return dir.error();
        std::string name = joined(components, components.size());
        // The owner keeps rwx on folders, so the user can still add to or delete what was
        // extracted.
        if (::fchmod(dir->get(), static_cast<mode_t>((mode & 0777) | 0700)) != 0) {
            return output_error(errno, name, "cannot set the permissions");
        }
        touched(components, components.size());
        return set_times(dir->get(), mtime, name);
    }

    Result<std::unique_ptr<OutputFile>> create_file(
        const std::vector<std::string>& components) override
    {
        std::string name = joined(components, components.size());
        if (components.empty()) return make_error(ErrorCode::InvalidArgument, name, "no file name");
        auto dir = open_directory(components, components.size() - 1, true);
        if (!dir) return dir.error();
        const std::string& leaf = components.back();
        if (auto status = check_replaceable(dir->get(), leaf, name); !status) return status.error();
        std::string temp = temporary_name();
        int fd = ::openat(dir->get(), temp.c_str(),
                          O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0) return output_error(errno, name, "cannot create a temporary file");
        touched(components, components.size() - 1);
        return std::unique_ptr<OutputFile>(new PosixOutputFile(
            std::move(*dir), Fd(fd), std::move(temp), leaf, std::move(name), m_overwrite));
    }

    Status create_symlink(const std::vector<std::string>& components, const std::string& target,
                          std::int64_t mtime) override
    {
        std::string name = joined(components, components.size());
        if (components.empty()) return make_error(ErrorCode::InvalidArgument, name, "no link name");
        auto dir = open_directory(components, components.size() - 1, true);
        if (!dir) return dir.error();
        const std::string& leaf = components.back();
        if (auto status = check_replaceable(dir->get(), leaf, name); !status) return status;
        std::string temp = temporary_name();
        if (::symlinkat(target.c_str(), dir->get(), temp.c_str()) != 0) {
            return output_error(errno, name, "cannot create the symlink");
        }
        touched(components, components.size() - 1);
        timespec times[2] = {{static_cast<time_t>(mtime), 0}, {static_cast<time_t>(mtime), 0}};
        ::utimensat(dir->get(), temp.c_str(), times,
                    AT_SYMLINK_NOFOLLOW);  // best effort: not every FS keeps it
        if (rename_in(dir->get(), temp.c_str(), leaf.c_str(), m_overwrite) != 0) {
            int saved = errno;
            ::unlinkat(dir->get(), temp.c_str(), 0);
            return output_error(saved, name, "cannot give the symlink its name");
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
        // fdopendir takes the descriptor over; a duplicate keeps `dir` for its own close. The
        // duplicate shares the offset of every other one of the folder (the root's is dup'ed each
        // time), which an earlier listing left at the end: rewind.
        DIR* stream = ::fdopendir(::dup(dir->get()));
        std::string name = joined(components, components.size());
        if (stream == nullptr) return output_error(errno, name, "cannot list the folder");
        ::rewinddir(stream);
        errno = 0;
        while (const dirent* entry = ::readdir(stream)) {
            std::string_view entry_name = entry->d_name;
            if (entry_name != "." && entry_name != "..") names.emplace_back(entry_name);
        }
        int saved = errno;
        ::closedir(stream);
        if (saved != 0) return output_error(saved, name, "cannot list the folder");
        return names;
    }

    bool exists(const std::vector<std::string>& components) override
    {
        if (components.empty()) return true;
        auto dir = open_directory(components, components.size() - 1, false);
        if (!dir) return false;
        struct stat info {};
        return ::fstatat(dir->get(), components.back().c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0;
    }

    Status remove_file(const std::vector<std::string>& components) override
    {
        std::string name = joined(components, components.size());
        if (components.empty()) return make_error(ErrorCode::InvalidArgument, name, "no file name");
        auto dir = open_directory(components, components.size() - 1, false);
        if (!dir) return dir.error();
        if (::unlinkat(dir->get(), components.back().c_str(), 0) != 0)
            return output_error(errno, name, "cannot remove");
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
            if (auto status = sync_fd(dir->get(), folder.empty() ? m_root_name : folder); !status)
                return status;
        }
        m_touched.clear();
        return Ok{};
    }

private:
    // A folder is never replaced, even with overwrite; nor is anything without it.
    Status check_replaceable(int dir_fd, const std::string& leaf, const std::string& name) const
    {
        struct stat existing {};
        if (::fstatat(dir_fd, leaf.c_str(), &existing, AT_SYMLINK_NOFOLLOW) != 0) return Ok{};
        if (S_ISDIR(existing.st_mode)) return output_error(EISDIR, name, "a folder is in the way");
        if (!m_overwrite) return output_error(EEXIST, name, "not written");
        return Ok{};
    }

    // Walks `count` components from the root, one openat(O_NOFOLLOW | O_DIRECTORY) at a time.
    Result<Fd> open_directory(const std::vector<std::string>& components, std::size_t count,
                              bool create) const
    {
        Fd current(::dup(m_root.get()));
        if (!current.valid())
            return output_error(errno, m_root_name, "cannot open the output folder");
        for (std::size_t i = 0; i < count; ++i) {
            const char* part = components[i].c_str();
            int fd = ::openat(current.get(), part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (fd < 0 && errno == ENOENT && create) {
                if (::mkdirat(current.get(), part, 0700) != 0 && errno != EEXIST) {
                    return output_error(errno, joined(components, i + 1),
                                        "cannot create the folder");
                }
                fd = ::openat(current.get(), part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            }
            // O_NOFOLLOW on a symlink fails with ELOOP (Linux) or ENOTDIR (with O_DIRECTORY, some
            // systems).
            if (fd < 0)
                return output_error(errno, joined(components, i + 1), "cannot enter the folder");
            current = Fd(fd);
        }
        return current;
    }

    // Remembers that the folder of the first `count` components, and so each folder above it (a
    // new folder is an entry in its parent), has entries or attributes sync() must make durable.
    void touched(const std::vector<std::string>& components, std::size_t count)
    {
        std::string folder = joined(components, count);
        if (m_touched.count(folder)) return;  // so are the folders above it
        for (std::size_t i = 0; i <= count; ++i) m_touched.insert(joined(components, i));
    }

    Fd m_root;
    std::string m_root_name;
    bool m_overwrite;
    std::set<std::string> m_touched;  // folders as joined() names; "" is the root
};

}  // namespace

bool is_already_exists(const Error& error)
{
    return error.code == ErrorCode::InvalidArgument && error.message.ends_with(k_already_exists);
}

namespace detail {

Result<std::unique_ptr<OutputTree>> open_output_tree_posix(const fs::path& root,
                                                           const OutputTreeOptions& options)
{
    if (options.create_root) {
        std::error_code error;
        fs::create_directories(root, error);
        if (error) return error_from_errno(error.value(), root, "cannot create the output folder");
    }
    int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return error_from_errno(errno, root, "cannot open the output folder");
    return std::unique_ptr<OutputTree>(
        new PosixOutputTree(Fd(fd), path_text(root), options.overwrite));
}

}  // namespace detail

}  // namespace bkcheck
