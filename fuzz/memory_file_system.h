// An in-memory FileSystem for harnesses: whole backup trees built from fuzz input, with no disk I/O,
// so a run stays fast, deterministic and cannot touch anything outside the process. It mimics
// real_file_system()'s contract: sorted listings, NotFound for what is missing, Io for what cannot
// be read, Corrupt past max_size. Symlinks (add_symlink) are followed on every component by stat,
// list and the reads, as the kernel would, and read by read_link.
#pragma once

#include "bkcheck/file_system.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bkcheck::fuzz {

class MemoryFileSystem final : public FileSystem {
public:
    MemoryFileSystem() { m_directories["/"]; }

    // Adds or replaces a file, creating its parent folders. False (nothing changed) when the path, or
    // one of its parents, is already taken by the other kind of entry.
    bool add_file(const fs::path& path, Bytes bytes)
    {
        std::string key = key_of(path);
        if (key == "/" || m_directories.count(key) != 0 || m_links.count(key) != 0) return false;
        fs::path normal(key);
        if (!add_directory(normal.parent_path())) return false;
        m_directories[key_of(normal.parent_path())][normal.filename().string()] = EntryType::File;
        m_files[key] = std::move(bytes);
        return true;
    }

    // Adds a folder and its parents; false when one of them is already a file.
    bool add_directory(const fs::path& path)
    {
        // Iterative, so a deeply nested hostile path cannot exhaust the stack.
        std::vector<fs::path> missing;
        for (fs::path current(key_of(path)); m_directories.count(current.string()) == 0;
             current = key_of(current.parent_path())) {
            if (m_files.count(current.string()) != 0 || m_links.count(current.string()) != 0) return false;
            missing.push_back(current);
        }
        for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
            m_directories[key_of(it->parent_path())][it->filename().string()] = EntryType::Directory;
            m_directories[it->string()];
        }
        return true;
    }

    // Adds a symlink at `path` to `target` (stored as given: relative to the link's folder, or
    // absolute), creating its parent folders; false when the path is taken.
    bool add_symlink(const fs::path& path, std::string target)
    {
        std::string key = key_of(path);
        if (key == "/" || m_directories.count(key) != 0 || m_files.count(key) != 0 || m_links.count(key) != 0) {
            return false;
        }
        fs::path normal(key);
        if (!add_directory(normal.parent_path())) return false;
        m_directories[key_of(normal.parent_path())][normal.filename().string()] = EntryType::Symlink;
        m_links[key] = std::move(target);
        return true;
    }

    // How many read_file and open_read calls reached a file under `prefix` (after following links):
    // lets a harness assert that nothing behind a link was read.
    void watch_reads_under(const fs::path& prefix) { m_watched = key_of(prefix); }
    std::size_t watched_reads() const { return m_watched_reads.load(); }

    // From now on read_file and open_read of `path` fail with Io while stat still works: a file whose
    // sectors went bad, the kind of damage verify has to report rather than crash on.
    void fail_reads(const fs::path& path) { m_failing.insert(key_of(path)); }

    // Caps how much one SequentialReader::read returns, so the consumer's short-read loop runs.
    void set_read_chunk(std::size_t bytes) { m_read_chunk = std::max<std::size_t>(1, bytes); }

    Result<FileStat> stat(const fs::path& path) const override
    {
        auto resolved = resolve(key_of(path));
        if (!resolved) return error_from_errno(ELOOP, path, "cannot stat");
        const std::string& key = *resolved;
        if (auto file = m_files.find(key); file != m_files.end()) {
            return FileStat{EntryType::File, file->second.size(), 0};
        }
        if (m_directories.count(key) != 0) return FileStat{EntryType::Directory, 0, 0};
        return error_from_errno(ENOENT, path, "cannot stat");
    }

    Result<std::vector<DirEntry>> list(const fs::path& dir) const override
    {
        auto resolved = resolve(key_of(dir));
        if (!resolved) return error_from_errno(ELOOP, dir, "cannot list folder");
        const std::string& key = *resolved;
        auto found = m_directories.find(key);
        if (found == m_directories.end()) {
            return error_from_errno(m_files.count(key) != 0 ? ENOTDIR : ENOENT, dir, "cannot list folder");
        }
        // std::map keeps the children sorted by name, as the interface promises.
        std::vector<DirEntry> entries;
        for (const auto& [name, type] : found->second) entries.push_back({name, type});
        return entries;
    }

    Result<Bytes> read_file(const fs::path& path, std::uint64_t max_size) const override
    {
        auto file = find_readable(path);
        if (!file) return std::move(file).error();
        const Bytes& bytes = **file;
        if (bytes.size() > max_size) {
            return make_error(ErrorCode::Corrupt, path.string(),
                              "file is " + std::to_string(bytes.size()) + " bytes, more than the " +
                                  std::to_string(max_size) + " this kind of file can be");
        }
        return bytes;
    }

    Result<std::unique_ptr<SequentialReader>> open_read(const fs::path& path) const override
    {
        auto file = find_readable(path);
        if (!file) return std::move(file).error();
        return std::unique_ptr<SequentialReader>(std::make_unique<Reader>(**file, m_read_chunk));
    }

    // A memory volume is never full.
    Result<std::uint64_t> free_space(const fs::path&) const override { return std::uint64_t{1} << 40; }

    Result<std::string> read_link(const fs::path& path) const override
    {
        fs::path normal(key_of(path));
        if (normal == "/") return make_error(ErrorCode::Io, path.string(), "cannot read the link: not a symbolic link");
        auto parent = resolve(key_of(normal.parent_path()));
        if (!parent) return error_from_errno(ELOOP, path, "cannot read the link");
        std::string key = (*parent == "/" ? "" : *parent) + "/" + normal.filename().string();
        if (auto link = m_links.find(key); link != m_links.end()) {
            if (link->second.size() > k_max_link_target) {
                return make_error(ErrorCode::Corrupt, path.string(), "the link's target is too long");
            }
            return link->second;
        }
        if (m_files.count(key) != 0 || m_directories.count(key) != 0) {
            return make_error(ErrorCode::Io, path.string(), "cannot read the link: not a symbolic link");
        }
        return error_from_errno(ENOENT, path, "cannot read the link");
    }

private:
    // Reads straight from the stored bytes: the file system must outlive its readers and not change
    // while they are open (harnesses build the tree first, then only read).
    class Reader final : public SequentialReader {
    public:
        Reader(ByteView bytes, std::size_t chunk) : m_bytes(bytes), m_chunk(chunk) {}

        Result<std::size_t> read(std::span<std::uint8_t> buffer) override
        {
            std::size_t count = std::min({buffer.size(), m_bytes.size() - m_offset, m_chunk});
            std::copy_n(m_bytes.begin() + static_cast<std::ptrdiff_t>(m_offset), count, buffer.begin());
            m_offset += count;
            return count;
        }

    private:
        ByteView m_bytes;
        std::size_t m_chunk;
        std::size_t m_offset = 0;
    };

    // One spelling per entry: "/a/b", whatever "/a/./b/" or "a/b" the caller passed (always absolute,
    // so walking up parent_path() ends at "/").
    static std::string key_of(const fs::path& path)
    {
        // Most paths verify asks for are already in that spelling: kept as they are, without the
        // allocations of lexically_normal (a tenth of fuzz_backup_tree's time).
        if (is_key(path.native())) return path.native();
        std::string key = path.lexically_normal().generic_string();
        while (key.size() > 1 && key.back() == '/') key.pop_back();
        return key.empty() || key.front() != '/' ? "/" + key : key;
    }

    // Absolute, no trailing "/", no empty, "." or ".." component: what key_of would return unchanged.
    static bool is_key(const std::string& text)
    {
        if (text.empty() || text.front() != '/') return false;
        if (text.size() == 1) return true;
        if (text.back() == '/') return false;
        for (std::size_t start = 1; start <= text.size();) {
            std::size_t end = std::min(text.find('/', start), text.size());
            std::string_view part(text.data() + start, end - start);
            if (part.empty() || part == "." || part == "..") return false;
            start = end + 1;
        }
        return true;
    }

    // The key `key` (already in key_of's spelling) names once every symlink on it is followed, as the
    // kernel resolves a path; nullopt past 40 links (ELOOP). A dangling link resolves to its missing
    // target.
    std::optional<std::string> resolve(const std::string& key) const
    {
        if (m_links.empty()) return key;  // the common case: no work, no allocation
        std::vector<std::string> rest;     // components still to walk, the next one last
        auto push_components = [&rest](const std::string& text) {
            std::vector<std::string> parts;
            for (std::size_t start = 1; start < text.size();) {
                std::size_t end = std::min(text.find('/', start), text.size());
                parts.push_back(text.substr(start, end - start));
                start = end + 1;
            }
            rest.insert(rest.end(), parts.rbegin(), parts.rend());
        };
        push_components(key);
        std::string done;  // "" is the root
        for (int hops = 0; !rest.empty();) {
            std::string candidate = done + "/" + rest.back();
            rest.pop_back();
            auto link = m_links.find(candidate);
            if (link == m_links.end()) {
                done = std::move(candidate);
                continue;
            }
            if (++hops > 40) return std::nullopt;
            fs::path target(link->second);
            std::string joined = key_of(target.is_absolute() ? target : fs::path(done.empty() ? "/" : done) / target);
            done.clear();
            push_components(joined);
        }
        return done.empty() ? std::string("/") : done;
    }

    Result<const Bytes*> find_readable(const fs::path& path) const
    {
        auto resolved = resolve(key_of(path));
        if (!resolved) return error_from_errno(ELOOP, path, "cannot open");
        const std::string& key = *resolved;
        if (!m_watched.empty() && key.rfind(m_watched + "/", 0) == 0) m_watched_reads.fetch_add(1);
        auto file = m_files.find(key);
        if (file == m_files.end()) {
            if (m_directories.count(key) != 0) return make_error(ErrorCode::Io, path.string(), "not a regular file");
            return error_from_errno(ENOENT, path, "cannot open");
        }
        if (m_failing.count(key) != 0) return error_from_errno(EIO, path, "cannot read");
        return &file->second;
    }

    std::map<std::string, Bytes> m_files;
    std::map<std::string, std::map<std::string, EntryType>> m_directories;  // folder -> its entries
    std::map<std::string, std::string> m_links;  // link -> its target, as stored
    std::set<std::string> m_failing;
    std::string m_watched;
    mutable std::atomic<std::size_t> m_watched_reads{0};
    std::size_t m_read_chunk = std::numeric_limits<std::size_t>::max();
};

}  // namespace bkcheck::fuzz
