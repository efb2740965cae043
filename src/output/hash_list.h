// Hash lists (extract/export --hash-list FILE): a `sha256sum`-compatible list of every regular file
// a run wrote, with its path relative to OUT, so that `sha256sum -c FILE` run in OUT proves the
// copy. The digest is of the bytes as they went into the output file, computed while writing
// (HashingOutputTree wraps the run's OutputTree), never by reading the file back, and a file enters
// the list only once it has its real name. Folders and symlinks are not listed (sha256sum checks
// regular files; a symlink would be checked through its target).
//
// Line format, as coreutils' sha256sum writes it: "<64 lowercase hex>  <path>\n". A path holding a
// backslash, a newline or a carriage return starts the line with a backslash and is written with
// those characters escaped as "\\", "\n" and "\r" (coreutils 9; `sha256sum -c` reads them back).
#pragma once

#include "bkcheck/file_system.h"
#include "crypto.h"
#include "output_tree.h"

#include <map>
#include <string>
#include <string_view>

namespace bkcheck {

// One line of a list, with its newline.
std::string sha256sum_line(const Sha256Digest& digest, std::string_view path);

// Passes every call to `inner`, and remembers the SHA-256 of each file it commits, by its path
// ('/'-joined components). A file committed twice at one path keeps its last digest; a file
// removed (name probes) leaves the list.
class HashingOutputTree : public OutputTree {
public:
    explicit HashingOutputTree(OutputTree& inner) : m_inner(inner) {}

    Status make_directory(const std::vector<std::string>& components) override;
    Status set_directory_attributes(const std::vector<std::string>& components, std::uint32_t mode,
                                    std::int64_t mtime) override;
    Result<std::unique_ptr<OutputFile>> create_file(
        const std::vector<std::string>& components) override;
    Status create_symlink(const std::vector<std::string>& components, const std::string& target,
                          std::int64_t mtime) override;
    Result<std::vector<std::string>> list_names(
        const std::vector<std::string>& components) override;
    bool exists(const std::vector<std::string>& components) override;
    Status remove_file(const std::vector<std::string>& components) override;
    Status sync() override;

    // Path -> digest, sorted by path.
    const std::map<std::string, Sha256Digest>& files() const { return m_files; }
    // The whole list, in path order.
    std::string list() const;

private:
    OutputTree& m_inner;
    std::map<std::string, Sha256Digest> m_files;
};

// How a hash list FILE is claimed: anywhere but inside a backup folder (write_output_file's rule),
// readable by everyone; an existing file is replaced only when it reads as a hash list (every line
// in its first 4 KiB is one) or with `overwrite`.
OutputFileOptions hash_list_file_options(bool overwrite);

}  // namespace bkcheck
