#include "bkcheck/file_system.h"
#include "bkcheck/path_text.h"
#include "resolved_path.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

namespace bkcheck {
namespace {

class WholeFileReader final : public RandomAccessReader {
public:
    explicit WholeFileReader(Bytes bytes) : m_bytes(std::move(bytes)) {}
    std::uint64_t size() const override { return m_bytes.size(); }
    Result<std::size_t> read_at(std::uint64_t offset, std::span<std::uint8_t> buffer) const override
    {
        if (offset >= m_bytes.size()) return std::size_t{0};
        std::size_t count = static_cast<std::size_t>(
            std::min<std::uint64_t>(buffer.size(), m_bytes.size() - offset));
        std::memcpy(buffer.data(), m_bytes.data() + offset, count);
        return count;
    }

private:
    Bytes m_bytes;
};

class PathFolderEntries final : public FolderEntries {
public:
    PathFolderEntries(const FileSystem& file_system, fs::path dir)
        : m_file_system(file_system), m_dir(std::move(dir))
    {
    }
    Result<FileStat> stat(const std::string& name) const override
    {
        return m_file_system.stat(m_dir / name);
    }

private:
    const FileSystem& m_file_system;
    fs::path m_dir;
};

}  // namespace

Result<std::unique_ptr<FolderEntries>> FileSystem::open_folder(const fs::path& dir) const
{
    // As the POSIX one: a missing folder, or something else, fails here, not at the first stat.
    auto folder = stat(dir);
    if (!folder) return std::move(folder).error();
    if (folder->type != EntryType::Directory)
        return make_error(ErrorCode::Io, path_text(dir), "cannot open folder: not a folder");
    return std::unique_ptr<FolderEntries>(std::make_unique<PathFolderEntries>(*this, dir));
}

Result<std::unique_ptr<RandomAccessReader>> FileSystem::open_random_access(
    const fs::path& path) const
{
    auto bytes = read_file(path, std::numeric_limits<std::uint64_t>::max());
    if (!bytes) return std::move(bytes).error();
    return std::unique_ptr<RandomAccessReader>(
        std::make_unique<WholeFileReader>(std::move(*bytes)));
}

Result<std::string> FileSystem::read_link(const fs::path& path) const
{
    auto info = stat(path);
    if (!info) return std::move(info).error();
    return make_error(ErrorCode::Io, path_text(path), "cannot read the link: not a symbolic link");
}

Result<fs::path> FileSystem::real_path(const fs::path& path) const
{
    auto info = stat(path);
    if (!info) return std::move(info).error();
    std::error_code error;
    fs::path absolute = absolute_path(path, error);
    if (error)
        return make_error(ErrorCode::Io, path_text(path),
                          "cannot make the path absolute: " + error.message());
    return absolute.lexically_normal();
}

FolderAccess FileSystem::folder_access(const fs::path&) const
{
    return {};
}

Error error_from_errno(int errno_value, const fs::path& path, const std::string& doing)
{
    ErrorCode code =
        errno_value == ENOENT || errno_value == ENOTDIR ? ErrorCode::NotFound : ErrorCode::Io;
    return make_error(code, path_text(path), doing + ": " + std::strerror(errno_value));
}

bool is_contained_path(const fs::path& relative)
{
    if (relative.empty() || relative.has_root_path()) return false;
#ifdef _WIN32
    // '\' separates too, and ':' names a drive ("C:x" is relative to C:'s current folder) or an
    // alternate data stream ("file:stream"): neither is a plain name inside a folder.
    const std::string text = path_text(relative);
    constexpr std::string_view separators = "/\\";
    if (text.find(':') != std::string::npos) return false;
#else
    const std::string& text = relative.native();
    constexpr std::string_view separators = "/";
#endif
    // Every component a real name: no empty one (a doubled or trailing '/'), no '.', no '..'.
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find_first_of(separators, start);
        if (end == std::string::npos) end = text.size();
        std::string_view part(text.data() + start, end - start);
        if (part.empty() || part == "." || part == ".." ||
            part.find('\0') != std::string_view::npos)
            return false;
        start = end + 1;
    }
    return true;
}

std::uint64_t size_on_disk(const FileSystem& file_system, const fs::path& path)
{
    // A link is counted as nothing: what it points to is not in the folder (and may be anywhere).
    if (file_system.read_link(path)) return 0;
    if (auto stat = file_system.stat(path); stat && stat->type == EntryType::File)
        return stat->size;
    // Iterative, so a hostile, deeply nested tree cannot exhaust the stack.
    std::uint64_t total = 0;
    std::vector<fs::path> pending{path};
    while (!pending.empty()) {
        fs::path current = std::move(pending.back());
        pending.pop_back();
        auto entries = file_system.list(current);
        if (!entries) continue;
        for (const DirEntry& entry : *entries) {
            if (entry.type == EntryType::Directory) {
                pending.push_back(current / entry.name);
            } else if (entry.type == EntryType::File) {
                if (auto stat = file_system.stat(current / entry.name)) total += stat->size;
            }
        }
    }
    return total;
}

}  // namespace bkcheck
