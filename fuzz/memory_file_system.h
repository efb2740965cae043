// An in-memory FileSystem for harnesses: whole backup trees built from fuzz input, with no disk I/O,
// so a run stays fast, deterministic and cannot touch anything outside the process. It mimics
// real_file_system()'s contract: sorted listings, NotFound for what is missing, Io for what cannot
// be read, Corrupt past max_size.
#pragma once

#include "bkcheck/file_system.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
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
        if (key == "/" || m_directories.count(key) != 0) return false;
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
            if (m_files.count(current.string()) != 0) return false;
            missing.push_back(current);
        }
        for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
            m_directories[key_of(it->parent_path())][it->filename().string()] = EntryType::Directory;
            m_directories[it->string()];
        }
        return true;
    }

    // From now on read_file and open_read of `path` fail with Io while stat still works: a file whose
    // sectors went bad, the kind of damage verify has to report rather than crash on.
    void fail_reads(const fs::path& path) { m_failing.insert(key_of(path)); }

    // Caps how much one SequentialReader::read returns, so the consumer's short-read loop runs.
    void set_read_chunk(std::size_t bytes) { m_read_chunk = std::max<std::size_t>(1, bytes); }

    Result<FileStat> stat(const fs::path& path) const override
    {
        std::string key = key_of(path);
        if (auto file = m_files.find(key); file != m_files.end()) {
            return FileStat{EntryType::File, file->second.size(), 0};
        }
        if (m_directories.count(key) != 0) return FileStat{EntryType::Directory, 0, 0};
        return error_from_errno(ENOENT, path, "cannot stat");
    }

    Result<std::vector<DirEntry>> list(const fs::path& dir) const override
    {
        std::string key = key_of(dir);
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

    Result<const Bytes*> find_readable(const fs::path& path) const
    {
        std::string key = key_of(path);
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
    std::set<std::string> m_failing;
    std::size_t m_read_chunk = std::numeric_limits<std::size_t>::max();
};

}  // namespace bkcheck::fuzz
