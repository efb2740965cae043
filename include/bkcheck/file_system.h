// FileSystem: the one seam through which the library touches the disk (style.md §1 LevelDB's Env).
//
// Read-only operations are all verify needs. Every error names the path and tells "missing"
// (NotFound) from "could not be read" (Io). Tests substitute their own implementation to count
// operations or inject failures.
#pragma once

#include "bkcheck/status.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
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

// Whether this process may add, rename and remove entries in a folder (write and search
// permission), and who owns it: what prune and repair need of every folder a plan changes.
struct FolderAccess {
    bool may_change = true;
    bool read_only_volume = false;  // refused because the volume is mounted read-only
    std::string owner;              // the owner's user name (or uid), empty when unknown
};

struct DirEntry {
    std::string name;
    EntryType type = EntryType::Other;  // of the entry itself; symlinks are not followed
    // Where the OS keeps the file (its inode number, as the listing gives it), 0 when unknown:
    // reading many small files in this order reads the disk front to back (verify --read-data).
    std::uint64_t inode = 0;
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

// One folder, opened for stats of the entries in it by name: the OS resolves the folder's path
// once, not once per entry (verify stats a million blobs in 256 folders, and walking each full path
// was a sixth of its CPU).
class FolderEntries {
public:
    virtual ~FolderEntries() = default;
    // As FileSystem::stat(folder / name), errors naming that path; `name` is one component.
    virtual Result<FileStat> stat(const std::string& name) const = 0;
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
    // Whether this process may change the entries of the folder `dir`, as the OS answers for this
    // user (groups, ACLs, root's override), and its owner. The default, for file systems held in
    // memory, allows it.
    virtual FolderAccess folder_access(const fs::path& dir) const;
    // The folder `dir`, for stats of its entries (FolderEntries). The default stats dir / name
    // each time.
    virtual Result<std::unique_ptr<FolderEntries>> open_folder(const fs::path& dir) const;

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

// WritableFileSystem: the one seam through which prune, repair, undo and purge change the disk,
// each run inside one WritableTree (the folder of backups), and through which seals, key files and
// the output of extract and export are written.
//
// Reads stay on FileSystem; every change goes through here, so a test can fail the N-th operation
// or end the process there (SQLite's fault injection) and check that the backup is either as before
// or fully changed, and that undo restores it byte for byte. Removal is a rename into quarantine,
// never a delete; only purge deletes.
namespace bkcheck {

namespace fs = std::filesystem;

class OutputTree;          // src/os/output_tree.h
struct OutputTreeOptions;  // src/os/output_tree.h

// Held while alive; the lock is released by the destructor (or by the process ending).
class FileLock {
public:
    virtual ~FileLock() = default;
};

// Which file system object an entry is, whatever its name: (st_dev, st_ino) on POSIX; on Windows
// the volume serial number and the 128-bit file id, whose upper half (inode_high) is 0 on NTFS and
// used on ReFS.
struct EntryIdentity {
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::uint64_t inode_high = 0;
    bool operator==(const EntryIdentity&) const = default;
};

// Who may read a file write_file_atomic creates: everyone (0644, as backups' own files), or only
// its owner (0600: a key that unlocks a backup).
enum class FileAccess { Everyone, OwnerOnly };

// One folder bkcheck may change — the folder that holds the backups and their quarantine — opened
// once. Every path given to it is relative to that folder and must be plain: no `..`, `.` or empty
// component, not absolute (anything else is refused, InvalidArgument, before the disk is touched).
// It is walked one component at a time from the open folder without following links, so no index
// string, journal line or link planted in a backup can make a change land outside the folder.
class WritableTree {
public:
    virtual ~WritableTree() = default;

    // The folder, for messages.
    virtual const fs::path& root() const = 0;

    // Moves a file or folder (the entry itself: a link is moved, never followed). Never replaces:
    // an Io error when `to` exists. Never copies: a move across filesystems is an Io error, so
    // quarantining gigabytes costs nothing and cannot half-succeed.
    virtual Status rename(const fs::path& from, const fs::path& to) = 0;
    // Creates `dir` and its missing parents; fine when it is already a folder (not a link to one).
    virtual Status make_directories(const fs::path& dir) = 0;
    // Writes `bytes` as `path` atomically: a temporary created exclusively beside it, fsync, rename
    // over, fsync the folder. The temporary has `access`'s mode from its first byte.
    virtual Status write_file_atomic(const fs::path& path, ByteView bytes, FileAccess access) = 0;
    // Makes the entries of `dir` (renames into or out of it) durable; an empty path is the root
    // itself.
    virtual Status sync_directory(const fs::path& dir) = 0;
    // Deletes a file or a folder with everything in it, links as links (purge only).
    virtual Status remove_all(const fs::path& path) = 0;
    // An exclusive advisory lock on `lock_file` (created if needed); InUse when another process
    // holds it.
    virtual Result<std::unique_ptr<FileLock>> try_lock(const fs::path& lock_file) = 0;

    // Not a change, but answered here because the engine needs it without following links: the
    // entry's identity (st_dev, st_ino), which a rename keeps, so a journal can tell for each step
    // whether it happened; nullopt when nothing is there (or the path is refused).
    virtual std::optional<EntryIdentity> identity_of(const fs::path& path) const = 0;
    bool entry_exists(const fs::path& path) const { return identity_of(path).has_value(); }
};

// True when `relative` names something inside a folder: not empty, not absolute, and every
// component a real name (not empty, `.` or `..`). The one test every WritableTree applies to every
// path.
bool is_contained_path(const fs::path& relative);

// How write_output_file claims a path the user named (a key file, a seal, a report).
struct OutputFileOptions {
    FileAccess access = FileAccess::OwnerOnly;
    // The user said --overwrite: any regular file at the path may be replaced (never a symlink or
    // folder).
    bool replace_any = false;
    // Whether an existing file is one bkcheck wrote, from its first bytes (at most 4 KiB) and its
    // size. Such a file, when regular and owned by this user, is replaced without --overwrite.
    // Empty: none is.
    std::function<bool(ByteView head, std::uint64_t size)> is_own;
};

class WritableFileSystem {
public:
    virtual ~WritableFileSystem() = default;

    // Opens `root` as the one folder a run of prune, repair, undo or purge changes. `root` itself
    // may be a link (a user's Backup folder often is one to another drive); nothing below it is
    // followed.
    virtual Result<std::unique_ptr<WritableTree>> open_tree(const fs::path& root) = 0;

    // Writes `bytes` as `path` atomically: a temporary beside it, fsync, rename over, fsync the
    // folder. The temporary has `access`'s mode from its first byte, so a secret is never readable
    // by others.
    virtual Status write_file_atomic(const fs::path& path, ByteView bytes, FileAccess access) = 0;
    // Writes an output file the user named, claiming the path safely: refused (InvalidArgument)
    // inside any backup folder, at a symlink, folder or other non-regular file, or at an existing
    // file that `options` does not let it replace; NotFound when its folder does not exist. The
    // bytes go to a new temporary in the same folder (O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600 from its
    // first byte, a unique name: a leftover is never reused), are fsynced, get `access`'s mode, and
    // are renamed into place (RENAME_NOREPLACE when nothing was there; over the checked file
    // otherwise). Errors name `path`, never the temporary.
    virtual Status write_output_file(const fs::path& path, ByteView bytes,
                                     const OutputFileOptions& options) = 0;
    // Opens (creating when missing and allowed) the folder extract or export writes into. Its own
    // path may go through symlinks (the user chose it); nothing below it will (output_tree.h).
    virtual Result<std::unique_ptr<OutputTree>> open_output_tree(
        const fs::path& root, const OutputTreeOptions& options) = 0;
};

// The process-wide POSIX implementation.
WritableFileSystem& real_writable_file_system();

// The checks write_output_file makes before it writes, without writing: run them before a long
// computation (a key derivation, reading every blob) so a refused path costs nothing.
Status check_output_file(const fs::path& path, const OutputFileOptions& options);

}  // namespace bkcheck
