// The real disk, except that the paths named answer as mode-000 files and folders answer a
// non-root user (EACCES): a denied file cannot be opened; a denied folder can be stat'ed itself
// (its parent may be searched), but neither listed nor looked into. Tests run as root, whom the
// real permissions would not stop.
#pragma once

#include "bkcheck/file_system.h"

#include <cerrno>
#include <utility>
#include <vector>

namespace bkcheck::test {

class DenyingFileSystem final : public FileSystem {
public:
    explicit DenyingFileSystem(std::vector<fs::path> denied) : m_denied(std::move(denied)) {}
    explicit DenyingFileSystem(fs::path denied) : m_denied{std::move(denied)} {}

    Result<FileStat> stat(const fs::path& path) const override
    {
        if (inside_denied(path)) return error_from_errno(EACCES, path, "cannot stat");
        return real().stat(path);
    }
    Result<std::vector<DirEntry>> list(const fs::path& dir) const override
    {
        if (denied(dir) || inside_denied(dir))
            return error_from_errno(EACCES, dir, "cannot open folder");
        return real().list(dir);
    }
    Result<Bytes> read_file(const fs::path& path, std::uint64_t max_size) const override
    {
        if (denied(path) || inside_denied(path))
            return error_from_errno(EACCES, path, "cannot open");
        return real().read_file(path, max_size);
    }
    Result<std::unique_ptr<SequentialReader>> open_read(const fs::path& path) const override
    {
        if (denied(path) || inside_denied(path))
            return error_from_errno(EACCES, path, "cannot open");
        return real().open_read(path);
    }
    Result<std::uint64_t> free_space(const fs::path& path) const override
    {
        return real().free_space(path);
    }
    Result<std::string> read_link(const fs::path& path) const override
    {
        if (inside_denied(path)) return error_from_errno(EACCES, path, "cannot read link");
        return real().read_link(path);
    }

private:
    static const FileSystem& real() { return real_file_system(); }
    bool denied(const fs::path& path) const
    {
        for (const fs::path& denied : m_denied) {
            if (path.lexically_normal() == denied.lexically_normal()) return true;
        }
        return false;
    }
    // Below a denied folder: the folder may not be searched.
    bool inside_denied(const fs::path& path) const
    {
        fs::path normal = path.lexically_normal();
        for (fs::path parent = normal.parent_path();
             !parent.empty() && parent != parent.parent_path(); parent = parent.parent_path()) {
            if (denied(parent)) return true;
        }
        return false;
    }

    std::vector<fs::path> m_denied;
};

}  // namespace bkcheck::test
