// Where extract and export write their files (OUT): the folder a user named, written one component
// at a time relative to a descriptor of it, with O_NOFOLLOW, so no symlink inside it (from an
// earlier record or another process) is ever walked through. Files are written under a temporary
// ".bkcheck-part-" name, fsynced and renamed into place (never replacing unless asked), so no
// half-written file carries a real name. Opened through WritableFileSystem::open_output_tree; the
// names are checked as strings before (src/output/output_path.h).
#pragma once

#include "bkcheck/status.h"
#include "bytes.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace bkcheck {

namespace fs = std::filesystem;

// A file being written under its temporary name. Dropped without commit(): the temporary is
// removed.
class OutputFile {
public:
    virtual ~OutputFile() = default;
    virtual Status write(ByteView bytes) = 0;
    // Sets the permission bits (mode & 0777: never setuid/setgid/sticky) and mtime, fsyncs, and
    // renames to the real name (replacing an existing file only when the tree was opened with
    // overwrite). The content is on disk before the name, so after a crash a real name never holds
    // a partial file; the names themselves are made durable together by OutputTree::sync.
    virtual Status commit(std::uint32_t mode, std::int64_t mtime) = 0;
};

// The output folder. Errors about one name (it exists, a component is a symlink or a file, the name
// is too long) are InvalidArgument, so a caller can skip that record; anything else (disk full,
// permission) is Io.
class OutputTree {
public:
    virtual ~OutputTree() = default;
    // Opens the folder at `components`, creating missing ones (mode 0700 until
    // set_directory_attributes).
    virtual Status make_directory(const std::vector<std::string>& components) = 0;
    virtual Status set_directory_attributes(const std::vector<std::string>& components,
                                            std::uint32_t mode, std::int64_t mtime) = 0;
    // Starts the file at `components` (the last one is its name), creating its folders.
    virtual Result<std::unique_ptr<OutputFile>> create_file(
        const std::vector<std::string>& components) = 0;
    virtual Status create_symlink(const std::vector<std::string>& components,
                                  const std::string& target, std::int64_t mtime) = 0;
    // Makes every name given so far durable: one fsync of each folder that received an entry or
    // attributes (and the folders above it), instead of a folder fsync after every file, which
    // doubled the fsyncs.
    // The names in the folder at `components` as the disk stores them (its case, its Unicode form),
    // without "." and ".."; none when the folder does not exist yet. How output_names.h sees what
    // an earlier run or the user left there.
    virtual Result<std::vector<std::string>> list_names(
        const std::vector<std::string>& components) = 0;
    // Whether anything is at `components` (a symlink there is not followed).
    virtual bool exists(const std::vector<std::string>& components) = 0;
    // Removes the file at `components`: only name_probe.h's probe files.
    virtual Status remove_file(const std::vector<std::string>& components) = 0;
    virtual Status sync() = 0;
};

struct OutputTreeOptions {
    bool overwrite = false;  // replace existing files and symlinks (never folders)
    bool create_root = true;
};

// Whether an error from OutputTree means "the name is already taken" (kept without --overwrite).
bool is_already_exists(const Error& error);

// The prefix of temporary names, so leftovers of a killed run are recognisable.
inline constexpr std::string_view k_partial_prefix = ".bkcheck-part-";

}  // namespace bkcheck
