// An in-memory file system for harnesses: whole backup trees built from fuzz input, with no disk
// I/O, so a run stays fast, deterministic and cannot touch anything outside the process.
//
// MemoryFileSystem is a tree of inodes (folders, files and symbolic links) and mimics
// real_file_system()'s contract: sorted listings that report a link as a link, stat/read/list that
// follow links (absolute and relative targets, `..` taken physically, ELOOP after 40), NotFound for
// what is missing, Io for what cannot be read, Corrupt past max_size.
//
// MemoryWritableFileSystem changes the same store through WritableTrees that keep the contract of
// the POSIX one (src/os/posix_writable_file_system.cpp) step by step: plain relative paths only
// (InvalidArgument), every component opened as a folder without following links (a link on the way
// is Io, "a link is on the way"; a file is ENOTDIR), renames that never replace (EEXIST) and move a
// link as a link, identities (device, inode) that a rename keeps, write_file_atomic through an
// exclusive temporary renamed over the name, remove_all that deletes links as links, and flock-like
// locks (InUse while held).
//
// Containment is checked on the store itself, independently of how a path was walked: after
// set_guard(dir), every change (create, rename, unlink, lock file) whose folder is not `dir` or
// below it, physically, aborts the process after printing the log of changes. A harness puts the
// backups under the guard and a region outside it to compare byte for byte.
#pragma once

#include "bkcheck/file_system.h"
#include "output_tree.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

namespace bkcheck::fuzz {

class MemoryFileSystem final : public FileSystem {
public:
    using Inode = std::uint64_t;
    static constexpr Inode k_root = 1;
    static constexpr std::uint64_t k_device = 0x6d656d;  // "mem"
    static constexpr std::size_t k_name_max = 255;       // NAME_MAX: a longer name is ENAMETOOLONG
    static constexpr int k_max_links = 40;               // Linux's MAXSYMLINKS

    struct Node {
        EntryType type = EntryType::Directory;
        Bytes bytes;                                         // File
        std::string target;                                  // Symlink
        std::map<std::string, Inode, std::less<>> children;  // Directory
        Inode parent = 0;  // the folder holding it (the root holds itself)
        std::string name;  // its name in that folder
        std::uint32_t mode = 0755;
        bool fail_reads = false;
    };

    // What a snapshot records of one entry; equal snapshots mean the same entries (same inodes)
    // with the same bytes, link targets and modes at the same paths.
    struct SnapshotEntry {
        EntryType type = EntryType::Other;
        Bytes bytes;
        std::string target;
        std::uint32_t mode = 0;
        Inode inode = 0;
        bool operator==(const SnapshotEntry&) const = default;
    };
    using Snapshot = std::map<std::string, SnapshotEntry>;

    MemoryFileSystem()
    {
        Node& root = m_nodes[k_root];
        root.parent = k_root;
    }

    // ---- Building (before a harness sets the guard; nothing here follows a link) ----

    // Adds or replaces a file (or a link), creating its parent folders. False (nothing changed)
    // when the path, or one of its parents, is already taken by the other kind of entry.
    bool add_file(const fs::path& path, Bytes bytes)
    {
        Node node;
        node.type = EntryType::File;
        node.bytes = std::move(bytes);
        node.mode = 0644;
        return add_leaf(path, std::move(node));
    }

    // Adds or replaces a symbolic link to `target` (any text: absolute, relative, dangling, a
    // loop).
    bool add_symlink(const fs::path& path, std::string target)
    {
        Node node;
        node.type = EntryType::Symlink;
        node.target = std::move(target);
        node.mode = 0777;
        return add_leaf(path, std::move(node));
    }

    // Adds a folder and its parents; false when one of them is already a file or a link.
    bool add_directory(const fs::path& path)
    {
        return make_parents(lexical_parts(path), 0).has_value();
    }

    // From now on read_file and open_read of `path` (the entry itself, or through a link) fail with
    // Io while stat still works: a file whose sectors went bad.
    void fail_reads(const fs::path& path)
    {
        if (auto inode = find_lexical(path)) m_nodes.at(*inode).fail_reads = true;
    }

    // Caps how much one SequentialReader::read returns, so the consumer's short-read loop runs.
    void set_read_chunk(std::size_t bytes) { m_read_chunk = std::max<std::size_t>(1, bytes); }

    // From now on every change must land in `dir` or below it (physically): anything else aborts.
    void set_guard(const fs::path& dir)
    {
        auto inode = find_lexical(dir);
        if (!inode || m_nodes.at(*inode).type != EntryType::Directory) std::abort();
        m_guard = *inode;
    }

    // Every entry below `dir` (the entry itself under ""), not following links; `skip` names paths
    // relative to `dir` whose entries (and what they hold) are left out.
    Snapshot snapshot(const fs::path& dir, const std::set<std::string>& skip = {}) const
    {
        Snapshot result;
        auto start = find_lexical(dir);
        if (!start) return result;
        std::vector<std::pair<std::string, Inode>> pending{{"", *start}};
        while (!pending.empty()) {
            auto [relative, inode] = std::move(pending.back());
            pending.pop_back();
            if (skip.count(relative) != 0) continue;
            const Node& node = m_nodes.at(inode);
            result[relative] = {node.type, node.bytes, node.target, node.mode, inode};
            for (const auto& [name, child] : node.children) {
                pending.emplace_back(relative.empty() ? name : relative + "/" + name, child);
            }
        }
        return result;
    }

    // The changes made since the guard was set, one line each, for a harness's abort message.
    const std::vector<std::string>& change_log() const { return m_log; }

    [[noreturn]] void fail(const std::string& why) const
    {
        std::fprintf(stderr, "memory file system: %s\nchanges so far:\n", why.c_str());
        for (const std::string& line : m_log) std::fprintf(stderr, "  %s\n", line.c_str());
        std::abort();
    }

    // ---- FileSystem: reads follow links, as real_file_system() does ----

    Result<FileStat> stat(const fs::path& path) const override
    {
        auto found = resolve(path.native(), true);
        if (found.error != 0) return error_from_errno(found.error, path, "cannot stat");
        const Node& node = m_nodes.at(found.inode);
        if (node.type == EntryType::File) return FileStat{EntryType::File, node.bytes.size(), 0};
        return FileStat{node.type, 0, 0};
    }

    Result<std::vector<DirEntry>> list(const fs::path& dir) const override
    {
        auto found = resolve(dir.native(), true);
        if (found.error == 0 && m_nodes.at(found.inode).type != EntryType::Directory)
            found.error = ENOTDIR;
        if (found.error != 0) return error_from_errno(found.error, dir, "cannot list folder");
        // std::map keeps the children sorted by name (bytewise, as std::string's < in the real
        // one).
        std::vector<DirEntry> entries;
        for (const auto& [name, child] : m_nodes.at(found.inode).children) {
            entries.push_back({name, m_nodes.at(child).type});
        }
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

    // The target of the link itself (the last part is not followed; those before it are).
    Result<std::string> read_link(const fs::path& path) const override
    {
        auto found = resolve(path.native(), false);
        if (found.error != 0) return error_from_errno(found.error, path, "cannot read the link");
        const Node& entry = m_nodes.at(found.inode);
        if (entry.type != EntryType::Symlink) {
            return make_error(ErrorCode::Io, path.string(),
                              "cannot read the link: not a symbolic link");
        }
        if (entry.target.size() > k_max_link_target) {
            return make_error(ErrorCode::Corrupt, path.string(), "the link's target is too long");
        }
        return entry.target;
    }

    // Counts from now every read (read_file, open_read) of a file under `dir`, however it was
    // reached: a harness asserts that nothing behind a link in a backup is read.
    void watch_reads_under(const fs::path& dir)
    {
        auto found = resolve(dir.native(), true);
        m_watched = found.error == 0 ? found.inode : 0;
    }
    std::size_t watched_reads() const { return m_watched_reads.load(); }

    // A memory volume is never full.
    Result<std::uint64_t> free_space(const fs::path&) const override
    {
        return std::uint64_t{1} << 40;
    }

    // ---- For MemoryWritableFileSystem: the store's own operations ----

    struct Resolved {
        Inode inode = 0;
        int error = 0;  // an errno value, 0 when found
    };

    // Walks `path` (absolute; a relative one from the root) as the kernel does: links followed on
    // the way, and at the end when `follow_last` (or the path ends in '/').
    Resolved resolve(std::string_view path, bool follow_last) const
    {
        if (path.empty()) return {0, ENOENT};
        bool trailing_slash = path.size() > 1 && path.back() == '/';
        std::vector<std::string_view> pending;  // a stack: the next component on top
        push_parts(pending, path);
        Inode current = k_root;
        int links = 0;
        while (!pending.empty()) {
            std::string_view part = pending.back();
            pending.pop_back();
            const Node& dir = m_nodes.at(current);
            if (dir.type != EntryType::Directory) return {0, ENOTDIR};
            if (part == "..") {
                current = dir.parent;
                continue;
            }
            if (part.size() > k_name_max) return {0, ENAMETOOLONG};
            auto child = dir.children.find(part);
            if (child == dir.children.end()) return {0, ENOENT};
            const Node& node = m_nodes.at(child->second);
            if (node.type == EntryType::Symlink &&
                (!pending.empty() || follow_last || trailing_slash)) {
                if (++links > k_max_links) return {0, ELOOP};
                if (node.target.empty()) return {0, ENOENT};
                if (node.target.front() == '/') current = k_root;
                push_parts(pending, node.target);
                continue;  // from the folder holding the link
            }
            current = child->second;
        }
        if (trailing_slash && m_nodes.at(current).type != EntryType::Directory) return {0, ENOTDIR};
        return {current, 0};
    }

    const Node* node(Inode inode) const
    {
        auto found = m_nodes.find(inode);
        return found == m_nodes.end() ? nullptr : &found->second;
    }

    // The child `name` of folder `dir`, if any.
    std::optional<Inode> child(Inode dir, std::string_view name) const
    {
        const Node* folder = node(dir);
        if (folder == nullptr) return std::nullopt;
        auto found = folder->children.find(name);
        if (found == folder->children.end()) return std::nullopt;
        return found->second;
    }

    // Creates `name` in folder `dir` (which must not hold it).
    Inode create(Inode dir, const std::string& name, Node fresh, const char* doing)
    {
        check_inside(dir, doing, name);
        Inode inode = m_next_inode++;
        fresh.parent = dir;
        fresh.name = name;
        m_nodes.emplace(inode, std::move(fresh));
        m_nodes.at(dir).children.emplace(name, inode);
        log(doing, dir, name);
        return inode;
    }

    // Moves entry `from` of folder `from_dir` to `to` in `to_dir`; what `to` held (nothing, unless
    // the caller allows replacing) is deleted.
    void move(Inode from_dir, const std::string& from, Inode to_dir, const std::string& to)
    {
        check_inside(from_dir, "rename (from)", from);
        check_inside(to_dir, "rename (to)", to);
        Inode moved = m_nodes.at(from_dir).children.at(from);
        std::string line = "rename " + path_of(from_dir, from) + " -> " + path_of(to_dir, to);
        if (auto replaced = child(to_dir, to)) erase_subtree(*replaced);
        m_nodes.at(from_dir).children.erase(from);
        m_nodes.at(to_dir).children[to] = moved;
        Node& entry = m_nodes.at(moved);
        entry.parent = to_dir;
        entry.name = to;
        m_log.push_back(line);
    }

    // Deletes entry `name` of folder `dir` (a file, a link, or a folder with everything in it).
    void unlink(Inode dir, const std::string& name)
    {
        check_inside(dir, "delete", name);
        log("delete", dir, name);
        Inode gone = m_nodes.at(dir).children.at(name);
        m_nodes.at(dir).children.erase(name);
        erase_subtree(gone);
    }

    // True when `inode` is `ancestor` or lies below it.
    bool is_below(Inode inode, Inode ancestor) const
    {
        for (int depth = 0; depth < 100000; ++depth) {
            if (inode == ancestor) return true;
            const Node* entry = node(inode);
            if (entry == nullptr || entry->parent == inode) return false;
            inode = entry->parent;
        }
        return false;
    }

    // flock-like: one holder per file.
    bool lock(Inode inode) { return m_locked.insert(inode).second; }
    void unlock(Inode inode) { m_locked.erase(inode); }

    // The physical absolute path of `name` in folder `dir`.
    std::string path_of(Inode dir, const std::string& name) const
    {
        std::vector<std::string> parts{name};
        for (Inode at = dir; at != k_root && node(at) != nullptr; at = m_nodes.at(at).parent) {
            parts.push_back(m_nodes.at(at).name);
        }
        std::string path;
        for (auto it = parts.rbegin(); it != parts.rend(); ++it) path += "/" + *it;
        return path;
    }

private:
    // Reads straight from the stored bytes: the file system must outlive its readers and not change
    // while they are open (harnesses change it only between verifies).
    class Reader final : public SequentialReader {
    public:
        Reader(ByteView bytes, std::size_t chunk) : m_bytes(bytes), m_chunk(chunk) {}

        Result<std::size_t> read(std::span<std::uint8_t> buffer) override
        {
            std::size_t count = std::min({buffer.size(), m_bytes.size() - m_offset, m_chunk});
            std::copy_n(m_bytes.begin() + static_cast<std::ptrdiff_t>(m_offset), count,
                        buffer.begin());
            m_offset += count;
            return count;
        }

    private:
        ByteView m_bytes;
        std::size_t m_chunk;
        std::size_t m_offset = 0;
    };

    // Pushes the components of `text` so that the first ends on top; empty and "." ones are
    // dropped.
    static void push_parts(std::vector<std::string_view>& pending, std::string_view text)
    {
        std::size_t end = text.size();
        while (end > 0) {
            std::size_t slash = text.rfind('/', end - 1);
            std::size_t start = slash == std::string_view::npos ? 0 : slash + 1;
            std::string_view part = text.substr(start, end - start);
            if (!part.empty() && part != ".") pending.push_back(part);
            if (slash == std::string_view::npos) break;
            end = slash;
        }
    }

    // The components of a builder's path, lexically ("a/../b" is "b"; nothing above the root).
    static std::vector<std::string> lexical_parts(const fs::path& path)
    {
        std::vector<std::string> parts;
        for (const fs::path& part : path.lexically_normal()) {
            std::string text = part.string();
            if (text.empty() || text == "/" || text == ".") continue;
            if (text == "..") {
                if (!parts.empty()) parts.pop_back();
                continue;
            }
            parts.push_back(std::move(text));
        }
        return parts;
    }

    std::optional<Inode> find_lexical(const fs::path& path) const
    {
        Inode current = k_root;
        for (const std::string& part : lexical_parts(path)) {
            auto next = child(current, part);
            if (!next) return std::nullopt;
            current = *next;
        }
        return current;
    }

    // Creates the folders of parts[0, size - drop) as needed; the last one's inode.
    std::optional<Inode> make_parents(const std::vector<std::string>& parts, std::size_t drop)
    {
        Inode current = k_root;
        for (std::size_t i = 0; i + drop < parts.size(); ++i) {
            if (parts[i].size() > k_name_max) return std::nullopt;
            auto next = child(current, parts[i]);
            if (!next) {
                Node folder;
                folder.type = EntryType::Directory;
                next = create(current, parts[i], std::move(folder), "mkdir");
            } else if (m_nodes.at(*next).type != EntryType::Directory) {
                return std::nullopt;
            }
            current = *next;
        }
        return current;
    }

    bool add_leaf(const fs::path& path, Node fresh)
    {
        std::vector<std::string> parts = lexical_parts(path);
        if (parts.empty() || parts.back().size() > k_name_max) return false;
        auto parent = make_parents(parts, 1);
        if (!parent) return false;
        if (auto existing = child(*parent, parts.back())) {
            Node& old = m_nodes.at(*existing);
            if (old.type == EntryType::Directory) return false;
            old.type = fresh.type;
            old.bytes = std::move(fresh.bytes);
            old.target = std::move(fresh.target);
            old.mode = fresh.mode;
            return true;
        }
        create(*parent, parts.back(), std::move(fresh), "create");
        return true;
    }

    void erase_subtree(Inode top)
    {
        std::vector<Inode> pending{top};
        while (!pending.empty()) {
            Inode inode = pending.back();
            pending.pop_back();
            auto found = m_nodes.find(inode);
            if (found == m_nodes.end()) continue;
            for (const auto& [name, child_inode] : found->second.children)
                pending.push_back(child_inode);
            m_locked.erase(inode);
            m_nodes.erase(found);
        }
    }

    void check_inside(Inode dir, const char* doing, const std::string& name) const
    {
        if (m_guard != 0 && !is_below(dir, m_guard)) {
            fail(std::string(doing) + " of " + path_of(dir, name) + " lands outside " +
                 path_of(m_guard, "."));
        }
    }

    void log(const char* doing, Inode dir, const std::string& name)
    {
        if (m_guard != 0) m_log.push_back(std::string(doing) + " " + path_of(dir, name));
    }

    Result<const Bytes*> find_readable(const fs::path& path) const
    {
        auto found = resolve(path.native(), true);
        if (found.error != 0) return error_from_errno(found.error, path, "cannot open");
        const Node& entry = m_nodes.at(found.inode);
        if (entry.type == EntryType::Directory)
            return make_error(ErrorCode::Io, path.string(), "is a folder, not a regular file");
        if (m_watched != 0 && is_below(found.inode, m_watched)) ++m_watched_reads;
        if (entry.fail_reads) return error_from_errno(EIO, path, "cannot read");
        return &entry.bytes;
    }

    // unordered_map keeps references to its elements valid across inserts: a Reader's view of a
    // file's bytes survives other files being added.
    std::unordered_map<Inode, Node> m_nodes;
    Inode m_next_inode = k_root + 1;
    Inode m_guard = 0;
    std::set<Inode> m_locked;
    std::vector<std::string> m_log;
    std::size_t m_read_chunk = std::numeric_limits<std::size_t>::max();
    Inode m_watched = 0;
    mutable std::atomic<std::size_t> m_watched_reads{0};  // verify reads from several threads
};

// WritableTrees over a MemoryFileSystem, with the POSIX implementation's contract and errors.
class MemoryWritableFileSystem final : public WritableFileSystem {
public:
    explicit MemoryWritableFileSystem(MemoryFileSystem& store) : m_store(store) {}

    // Fault injection, as tests/support/faulty_writer.h does on the real disk: counting from now,
    // the `at`-th change (rename, make_directories, write_file_atomic, sync_directory, remove_all)
    // fails with Io and changes nothing; with `crash`, so does every change after it, as if the
    // process had been killed there. 0 never.
    void inject_fault(std::size_t at, bool crash)
    {
        m_fault_at = at;
        m_crash = crash;
        m_changes = 0;
        m_fired = false;
    }
    bool fired() const { return m_fired; }

    Result<std::unique_ptr<WritableTree>> open_tree(const fs::path& root) override
    {
        // open(root, O_DIRECTORY) follows links: the root itself may be one.
        auto found = m_store.resolve(root.native(), true);
        if (found.error == 0 && m_store.node(found.inode)->type != EntryType::Directory)
            found.error = ENOTDIR;
        if (found.error != 0) return error_from_errno(found.error, root, "cannot open folder");
        return std::unique_ptr<WritableTree>(std::make_unique<Tree>(*this, root, found.inode));
    }

    Status write_file_atomic(const fs::path& path, ByteView bytes, FileAccess access) override
    {
        fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
        auto tree = open_tree(folder);
        if (!tree)
            return make_error(tree.error().code, path.string(),
                              "cannot create: " + tree.error().message);
        return (*tree)->write_file_atomic(path.filename(), bytes, access);
    }

    // Output files (keys, seals) are named by a user, never by a backup: not part of these
    // harnesses.
    Status write_output_file(const fs::path& path, ByteView, const OutputFileOptions&) override
    {
        return make_error(ErrorCode::Io, path.string(),
                          "output files are not written to the in-memory file system");
    }
    Result<std::unique_ptr<OutputTree>> open_output_tree(const fs::path& root,
                                                         const OutputTreeOptions&) override
    {
        return make_error(ErrorCode::Io, root.string(),
                          "output folders are not written to the in-memory file system");
    }

private:
    Status tick(const fs::path& path)
    {
        ++m_changes;
        if (m_fault_at == 0 || (m_changes != m_fault_at && !(m_crash && m_changes > m_fault_at)))
            return Ok{};
        m_fired = true;
        return make_error(ErrorCode::Io, path.string(),
                          "injected fault at change " + std::to_string(m_changes));
    }

    using Inode = MemoryFileSystem::Inode;
    using Node = MemoryFileSystem::Node;

    class Lock final : public FileLock {
    public:
        Lock(MemoryFileSystem& store, Inode inode) : m_store(store), m_inode(inode) {}
        ~Lock() override { m_store.unlock(m_inode); }
        Lock(const Lock&) = delete;
        Lock& operator=(const Lock&) = delete;

    private:
        MemoryFileSystem& m_store;
        Inode m_inode;
    };

    class Tree final : public WritableTree {
    public:
        Tree(MemoryWritableFileSystem& owner, fs::path root, Inode descriptor)
            : m_owner(owner),
              m_store(owner.m_store),
              m_root(std::move(root)),
              m_descriptor(descriptor)
        {
        }

        const fs::path& root() const override { return m_root; }

        Status rename(const fs::path& from, const fs::path& to) override
        {
            BK_TRY(m_owner.tick(from));
            auto source = parent_of(from);
            if (!source) return std::move(source).error();
            auto target = parent_of(to);
            if (!target) return std::move(target).error();
            // renameat2(RENAME_NOREPLACE)
            auto moved = m_store.child(source->first, source->second);
            int error = 0;
            if (!moved)
                error = ENOENT;
            else if (m_store.child(target->first, target->second))
                error = EEXIST;
            else if (m_store.node(*moved)->type == EntryType::Directory &&
                     m_store.is_below(target->first, *moved))
                error = EINVAL;
            if (error != 0) return failure(error, from, "cannot move to " + (m_root / to).string());
            m_store.move(source->first, source->second, target->first, target->second);
            return Ok{};
        }

        Status make_directories(const fs::path& dir) override
        {
            BK_TRY(m_owner.tick(dir));
            BK_TRY(check(dir));
            Inode current = m_descriptor;
            for (const std::string& part : components_of(dir)) {
                // mkdirat: EEXIST for anything there, a dangling link included.
                if (part.size() > MemoryFileSystem::k_name_max)
                    return failure(ENAMETOOLONG, dir, "cannot create folder");
                if (!m_store.child(current, part)) {
                    Node folder;
                    folder.type = EntryType::Directory;
                    m_store.create(current, part, std::move(folder), "mkdir");
                }
                Inode next = 0;
                if (int error = open_folder_at(current, part, next); error != 0)
                    return failure(error, dir, "cannot create folder");
                current = next;
            }
            return Ok{};
        }

        Status write_file_atomic(const fs::path& path, ByteView bytes, FileAccess access) override
        {
            BK_TRY(m_owner.tick(path));
            auto parent = parent_of(path);
            if (!parent) return std::move(parent).error();
            auto& [folder, name] = *parent;
            // Created exclusively (O_CREAT | O_EXCL | O_NOFOLLOW) under a fresh name.
            std::string temporary = "." + name + ".bkcheck-4242-" + std::to_string(++m_temporaries);
            if (temporary.size() > MemoryFileSystem::k_name_max)
                return failure(ENAMETOOLONG, path, "cannot create");
            if (m_store.child(folder, temporary)) return failure(EEXIST, path, "cannot create");
            Node file;
            file.type = EntryType::File;
            file.bytes.assign(bytes.begin(), bytes.end());
            file.mode = access == FileAccess::OwnerOnly ? 0600 : 0644;
            m_store.create(folder, temporary, std::move(file), "create");
            // renameat over the name: a file or link there is replaced, a folder is EISDIR.
            if (auto existing = m_store.child(folder, name);
                existing && m_store.node(*existing)->type == EntryType::Directory) {
                m_store.unlink(folder, temporary);
                return make_error(ErrorCode::Io, (m_root / path).string(),
                                  std::string("cannot write: ") + std::strerror(EISDIR));
            }
            m_store.move(folder, temporary, folder, name);
            return Ok{};
        }

        Status sync_directory(const fs::path& dir) override
        {
            BK_TRY(m_owner.tick(dir));
            if (dir.empty()) return Ok{};
            auto opened = open_directory(dir);
            if (!opened) return std::move(opened).error();
            return Ok{};
        }

        Status remove_all(const fs::path& path) override
        {
            BK_TRY(m_owner.tick(path));
            auto parent = parent_of(path);
            if (!parent) return std::move(parent).error();
            // The entry itself, links as links; nothing there is not an error.
            if (m_store.child(parent->first, parent->second))
                m_store.unlink(parent->first, parent->second);
            return Ok{};
        }

        Result<std::unique_ptr<FileLock>> try_lock(const fs::path& lock_file) override
        {
            auto parent = parent_of(lock_file);
            if (!parent) return std::move(parent).error();
            auto& [folder, name] = *parent;
            // openat(O_RDWR | O_CREAT | O_NOFOLLOW)
            auto existing = m_store.child(folder, name);
            if (existing) {
                EntryType type = m_store.node(*existing)->type;
                if (type == EntryType::Symlink)
                    return failure(ELOOP, lock_file, "cannot open the lock");
                if (type == EntryType::Directory)
                    return failure(EISDIR, lock_file, "cannot open the lock");
            } else {
                if (name.size() > MemoryFileSystem::k_name_max)
                    return failure(ENAMETOOLONG, lock_file, "cannot open the lock");
                Node file;
                file.type = EntryType::File;
                file.mode = 0644;
                existing = m_store.create(folder, name, std::move(file), "create");
            }
            if (!m_store.lock(*existing)) {
                return make_error(
                    ErrorCode::InUse, (m_root / lock_file).string(),
                    "in use: another bkcheck is changing these backups; try again when it is done");
            }
            return std::unique_ptr<FileLock>(std::make_unique<Lock>(m_store, *existing));
        }

        std::optional<EntryIdentity> identity_of(const fs::path& path) const override
        {
            auto parent = parent_of(path);
            if (!parent) return std::nullopt;
            auto entry = m_store.child(parent->first, parent->second);
            if (!entry) return std::nullopt;
            return EntryIdentity{MemoryFileSystem::k_device, *entry};
        }

    private:
        static std::vector<std::string> components_of(const fs::path& relative)
        {
            std::vector<std::string> parts;
            for (const fs::path& part : relative) parts.push_back(part.string());
            return parts;
        }

        Status check(const fs::path& relative) const
        {
            if (is_contained_path(relative)) return Ok{};
            return make_error(ErrorCode::InvalidArgument, relative.string(),
                              "refused: this path is not a plain path inside " + m_root.string());
        }

        Error failure(int errno_value, const fs::path& relative, const std::string& doing) const
        {
            fs::path path = m_root / relative;
            if (errno_value == ELOOP) {
                return make_error(ErrorCode::Io, path.string(),
                                  doing +
                                      ": a link is on the way, and bkcheck does not follow "
                                      "links when it changes a folder of backups");
            }
            return error_from_errno(errno_value, path, doing);
        }

        // openat(O_DIRECTORY | O_NOFOLLOW), with the POSIX one's ELOOP for a link.
        int open_folder_at(Inode dir, const std::string& name, Inode& out) const
        {
            if (name.size() > MemoryFileSystem::k_name_max) return ENAMETOOLONG;
            auto entry = m_store.child(dir, name);
            if (!entry) return ENOENT;
            EntryType type = m_store.node(*entry)->type;
            if (type == EntryType::Symlink) return ELOOP;
            if (type != EntryType::Directory) return ENOTDIR;
            out = *entry;
            return 0;
        }

        Result<Inode> open_directory(const fs::path& relative) const
        {
            BK_TRY(check(relative));
            Inode current = m_descriptor;
            for (const std::string& part : components_of(relative)) {
                Inode next = 0;
                if (int error = open_folder_at(current, part, next); error != 0)
                    return failure(error, relative, "cannot open folder");
                current = next;
            }
            return current;
        }

        Result<std::pair<Inode, std::string>> parent_of(const fs::path& relative) const
        {
            BK_TRY(check(relative));
            std::vector<std::string> parts = components_of(relative);
            std::string name = parts.back();
            parts.pop_back();
            Inode current = m_descriptor;
            for (const std::string& part : parts) {
                Inode next = 0;
                if (int error = open_folder_at(current, part, next); error != 0)
                    return failure(error, relative, "cannot reach");
                current = next;
            }
            // The last component is looked up by name by the *at call: a name too long fails there.
            if (name.size() > MemoryFileSystem::k_name_max)
                return failure(ENAMETOOLONG, relative, "cannot reach");
            return std::pair<Inode, std::string>(current, std::move(name));
        }

        MemoryWritableFileSystem& m_owner;
        MemoryFileSystem& m_store;
        fs::path m_root;
        Inode m_descriptor;
        unsigned m_temporaries = 0;
    };

    MemoryFileSystem& m_store;
    std::size_t m_fault_at = 0;
    std::size_t m_changes = 0;
    bool m_crash = false;
    bool m_fired = false;
};

}  // namespace bkcheck::fuzz
