// Where extract and export write, and the one place that decides what backup content is hostile.
//
// A backup's names come from the device and can be crafted: "../" in a path, an absolute path, a
// NUL, a fileID that is not 40 hex digits, a symlink record followed by a file record whose path
// walks through it (mvt advisory GHSA-5h3g-px23-w6vw). Names are first checked as strings here;
// then every directory and file is created relative to a descriptor of the output folder, one
// component at a time with O_NOFOLLOW, so even a symlink that appears inside OUT (from an earlier
// record or another process) is never walked through. Files are written under a temporary
// ".bkcheck-part-" name, fsynced and renamed into place (never replacing unless asked), so no
// half-written file carries a real name.
#pragma once

#include "bytes.h"
#include "bkcheck/status.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bkcheck {

namespace fs = std::filesystem;

// Why a fileID cannot name a blob ("" when it is 40 lowercase hex digits).
std::string file_id_problem(std::string_view file_id);

// Why domain/relativePath cannot be written under OUT ("" when it can): an empty or "."/".."
// domain, a domain with "/", an absolute path, a "." / ".." / empty component, a NUL, a component
// longer than 255 bytes. An empty relativePath is the domain's own folder.
std::string output_name_problem(std::string_view domain, std::string_view relative_path);

// The components of a checked name: {domain, dir, ..., leaf}.
std::vector<std::string> output_components(std::string_view domain, std::string_view relative_path);

// Whether a symlink at `link_components` (as output_components returns, the last one is the link)
// with `target` resolves inside OUT. Absolute targets never do. ".." may only lead the target (at
// most as many as the link's depth): a ".." after a name could climb out of a directory another
// symlink led into, which no string check can follow.
bool symlink_target_stays_inside(const std::vector<std::string>& link_components,
                                 std::string_view target);

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
    // The names in the folder at `components` as the disk stores them (its case, its Unicode form),
    // without "." and ".."; none when the folder does not exist yet. How output_names.h sees what
    // an earlier run or the user left there.
    virtual Result<std::vector<std::string>> list_names(
        const std::vector<std::string>& components) = 0;
    // Whether anything is at `components` (a symlink there is not followed).
    virtual bool exists(const std::vector<std::string>& components) = 0;
    // Removes the file at `components`: only name_probe.h's probe files.
    virtual Status remove_file(const std::vector<std::string>& components) = 0;
    // Makes every name given so far durable: one fsync of each folder that received an entry or
    // attributes (and the folders above it), instead of a folder fsync after every file, which
    // doubled the fsyncs.
    virtual Status sync() = 0;
};

struct OutputTreeOptions {
    bool overwrite = false;  // replace existing files and symlinks (never folders)
    bool create_root = true;
};

// Opens (creating when missing and allowed) the folder `root`. Its own path may go through symlinks
// (the user chose it); nothing below it will.
Result<std::unique_ptr<OutputTree>> open_output_tree(const fs::path& root,
                                                     const OutputTreeOptions& options);

// Whether an error from OutputTree means "the name is already taken" (kept without --overwrite).
bool is_already_exists(const Error& error);

// InvalidArgument when `out` is the backup folder or inside it: extract and export never write a
// byte into the backup they read.
Status check_output_outside_backup(const fs::path& out, const fs::path& backup_dir);

// The prefix of temporary names, so leftovers of a killed run are recognisable.
inline constexpr std::string_view k_partial_prefix = ".bkcheck-part-";

}  // namespace bkcheck
