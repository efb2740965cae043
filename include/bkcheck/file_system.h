// FileSystem: the one seam through which the library touches the disk (style.md §1 LevelDB's Env).
//
// Read-only operations are all verify needs. Every error names the path and tells "missing"
// (NotFound) from "could not be read" (Io). Tests substitute their own implementation to count
// operations or inject failures.
#pragma once

#include "bkcheck/bytes.h"
#include "bkcheck/error.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace bkcheck {

namespace fs = std::filesystem;

enum class EntryType { File, Directory, Symlink, Other };

// The longest symlink target read_link returns (PATH_MAX on Linux); a longer one is hostile or
// absurd.
inline constexpr std::size_t k_max_link_target = 4096;

struct FileStat {
    EntryType type = EntryType::Other;
    std::uint64_t size = 0;     // bytes, for regular files
    std::int64_t modified = 0;  // seconds since 1970 UTC
    // Whether this process may open it for reading, as far as its mode and owner tell (with the OS
    // asked only when they say no, for groups and ACLs): lets a check that reads no content still
    // say which files this user could not read (access.denied) instead of calling them sound.
    bool readable = true;
};

struct DirEntry {
    std::string name;
    EntryType type = EntryType::Other;  // of the entry itself; symlinks are not followed
};

// Reads a file front to back into caller-provided buffers (so verify can reuse one buffer per
// thread).
class SequentialReader {
public:
    virtual ~SequentialReader() = default;
    // Returns the number of bytes read; 0 at end of file.
    virtual Result<std::size_t> read(std::span<std::uint8_t> buffer) = 0;
};

// Reads any range of one file: SQLite reads Manifest.db page by page through it.
class RandomAccessReader {
public:
    virtual ~RandomAccessReader() = default;
    // The file's size when it was opened.
    virtual std::uint64_t size() const = 0;
    // Reads up to buffer.size() bytes at `offset`; fewer only at the end of the file.
    virtual Result<std::size_t> read_at(std::uint64_t offset,
                                        std::span<std::uint8_t> buffer) const = 0;
};

class FileSystem {
public:
    virtual ~FileSystem() = default;

    // Follows symlinks (a user's Backup folder is often a symlink to another drive).
    virtual Result<FileStat> stat(const fs::path& path) const = 0;
    // Entries sorted by name, without "." and "..".
    virtual Result<std::vector<DirEntry>> list(const fs::path& dir) const = 0;
    // The whole file; a Corrupt error when it is larger than max_size (hostile or absurd input).
    virtual Result<Bytes> read_file(const fs::path& path, std::uint64_t max_size) const = 0;
    virtual Result<std::unique_ptr<SequentialReader>> open_read(const fs::path& path) const = 0;
    // Regular files only, as read_file. The default, for file systems held in memory, reads the
    // whole file once with read_file and serves every range from that copy.
    virtual Result<std::unique_ptr<RandomAccessReader>> open_random_access(
        const fs::path& path) const;
    // Bytes an unprivileged user may still write on the volume holding `path` (statvfs f_bavail);
    // doctor compares it with the size of the last backup. Tests simulate a nearly full volume
    // here.
    virtual Result<std::uint64_t> free_space(const fs::path& path) const = 0;
    // The target of the symlink `path` itself (the last component is not followed), as stored: raw
    // bytes, possibly relative, possibly dangling. NotFound when nothing is there, Io when `path`
    // is not a symlink, Corrupt when the target is longer than k_max_link_target. The default, for
    // file systems without links, says `path` is not one.
    virtual Result<std::string> read_link(const fs::path& path) const;
    // `path` absolute, with every symlink resolved (realpath): how the OS names it to other
    // processes
    // (/proc/<pid>/fd). The default, for file systems without links, is `path` made absolute and
    // normal.
    virtual Result<fs::path> real_path(const fs::path& path) const;

    bool exists(const fs::path& path) const { return stat(path).has_value(); }
};

// The process-wide POSIX implementation.
const FileSystem& real_file_system();

// Bytes in the regular files under `path` (or of `path` itself, when a file); what cannot be read
// counts as 0. Symlinks are not followed into.
std::uint64_t size_on_disk(const FileSystem& file_system, const fs::path& path);

// Error for an errno value, naming the path: ENOENT -> NotFound, everything else -> Io.
Error error_from_errno(int errno_value, const fs::path& path, const std::string& doing);

}  // namespace bkcheck
