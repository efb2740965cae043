// A WritableFileSystem over the real one that counts every change and, at the N-th, either fails it
// (an I/O error, as a full disk would) or ends the process on the spot (as a kill or power cut
// would), or lets it go through and raises a Ctrl-C flag right after (as a user pressing Ctrl-C
// mid-run would): SQLite's fault-injection approach, for prune/repair/undo and extract/export's
// output.
#pragma once

#include "bkcheck/file_system.h"
#include "output_tree.h"

#include <unistd.h>
#include <atomic>
#include <cstdlib>

namespace bkcheck::test {

class FaultyWriter final : public WritableFileSystem {
public:
    enum class Mode { Fail, Exit, Interrupt };

    // fault_at: 1-based index of the change to break; 0 never.
    explicit FaultyWriter(std::size_t fault_at = 0, Mode mode = Mode::Fail)
        : m_fault_at(fault_at), m_mode(mode)
    {
    }

    // Mode::Interrupt sets this flag (hand it to the operation as its cancel flag).
    const std::atomic<bool>& interrupt_flag() const { return m_interrupt; }

    std::size_t changes() const { return m_count; }
    bool fired() const { return m_fired; }

    Result<std::unique_ptr<WritableTree>> open_tree(const fs::path& root) override
    {
        auto tree = real().open_tree(root);
        if (!tree) return std::move(tree).error();
        return std::unique_ptr<WritableTree>(std::make_unique<Tree>(*this, std::move(*tree)));
    }
    Status write_file_atomic(const fs::path& path, ByteView bytes, FileAccess access) override
    {
        BK_TRY(tick(path));
        return real().write_file_atomic(path, bytes, access);
    }
    Status write_output_file(const fs::path& path, ByteView bytes,
                             const OutputFileOptions& options) override
    {
        BK_TRY(tick(path));
        return real().write_output_file(path, bytes, options);
    }
    // Every operation on the output tree and its files counts: opening OUT, each folder, each
    // file's creation, each write and each commit, each symlink, each sync.
    Result<std::unique_ptr<OutputTree>> open_output_tree(const fs::path& root,
                                                         const OutputTreeOptions& options) override
    {
        BK_TRY(tick(root));
        auto tree = real().open_output_tree(root, options);
        if (!tree) return std::move(tree).error();
        return std::unique_ptr<OutputTree>(std::make_unique<Output>(*this, std::move(*tree)));
    }

private:
    // The real tree, every change counted first.
    class Tree final : public WritableTree {
    public:
        Tree(FaultyWriter& owner, std::unique_ptr<WritableTree> inner)
            : m_owner(owner), m_inner(std::move(inner))
        {
        }
        const fs::path& root() const override { return m_inner->root(); }
        Status rename(const fs::path& from, const fs::path& to) override
        {
            BK_TRY(m_owner.tick(from));
            return m_inner->rename(from, to);
        }
        Status make_directories(const fs::path& dir) override
        {
            BK_TRY(m_owner.tick(dir));
            return m_inner->make_directories(dir);
        }
        Status write_file_atomic(const fs::path& path, ByteView bytes, FileAccess access) override
        {
            BK_TRY(m_owner.tick(path));
            return m_inner->write_file_atomic(path, bytes, access);
        }
        Status sync_directory(const fs::path& dir) override
        {
            BK_TRY(m_owner.tick(dir));
            return m_inner->sync_directory(dir);
        }
        Status remove_all(const fs::path& path) override
        {
            BK_TRY(m_owner.tick(path));
            return m_inner->remove_all(path);
        }
        Result<std::unique_ptr<FileLock>> try_lock(const fs::path& lock_file) override
        {
            return m_inner->try_lock(lock_file);
        }
        std::optional<EntryIdentity> identity_of(const fs::path& path) const override
        {
            return m_inner->identity_of(path);
        }

    private:
        FaultyWriter& m_owner;
        std::unique_ptr<WritableTree> m_inner;
    };

    class OutputFileOf final : public OutputFile {
    public:
        OutputFileOf(FaultyWriter& owner, std::unique_ptr<OutputFile> inner, std::string name)
            : m_owner(owner), m_inner(std::move(inner)), m_name(std::move(name))
        {
        }
        Status write(ByteView bytes) override
        {
            BK_TRY(m_owner.tick(m_name));
            return m_inner->write(bytes);
        }
        Status commit(std::uint32_t mode, std::int64_t mtime) override
        {
            BK_TRY(m_owner.tick(m_name));
            return m_inner->commit(mode, mtime);
        }

    private:
        FaultyWriter& m_owner;
        std::unique_ptr<OutputFile> m_inner;
        std::string m_name;
    };

    class Output final : public OutputTree {
    public:
        Output(FaultyWriter& owner, std::unique_ptr<OutputTree> inner)
            : m_owner(owner), m_inner(std::move(inner))
        {
        }
        Status make_directory(const std::vector<std::string>& components) override
        {
            BK_TRY(m_owner.tick(joined(components)));
            return m_inner->make_directory(components);
        }
        Status set_directory_attributes(const std::vector<std::string>& components,
                                        std::uint32_t mode, std::int64_t mtime) override
        {
            BK_TRY(m_owner.tick(joined(components)));
            return m_inner->set_directory_attributes(components, mode, mtime);
        }
        Result<std::unique_ptr<OutputFile>> create_file(
            const std::vector<std::string>& components) override
        {
            BK_TRY(m_owner.tick(joined(components)));
            auto file = m_inner->create_file(components);
            if (!file) return std::move(file).error();
            return std::unique_ptr<OutputFile>(
                std::make_unique<OutputFileOf>(m_owner, std::move(*file), joined(components)));
        }
        Status create_symlink(const std::vector<std::string>& components, const std::string& target,
                              std::int64_t mtime) override
        {
            BK_TRY(m_owner.tick(joined(components)));
            return m_inner->create_symlink(components, target, mtime);
        }
        // Reads of OUT (what names are taken) are not changes: never failed, never counted.
        Result<std::vector<std::string>> list_names(
            const std::vector<std::string>& components) override
        {
            return m_inner->list_names(components);
        }
        bool exists(const std::vector<std::string>& components) override
        {
            return m_inner->exists(components);
        }
        Status remove_file(const std::vector<std::string>& components) override
        {
            BK_TRY(m_owner.tick(joined(components)));
            return m_inner->remove_file(components);
        }
        Status sync() override
        {
            BK_TRY(m_owner.tick("OUT"));
            return m_inner->sync();
        }

    private:
        static std::string joined(const std::vector<std::string>& components)
        {
            std::string text;
            for (const std::string& part : components) text += (text.empty() ? "" : "/") + part;
            return text;
        }
        FaultyWriter& m_owner;
        std::unique_ptr<OutputTree> m_inner;
    };

    static WritableFileSystem& real() { return real_writable_file_system(); }

    Status tick(const fs::path& path)
    {
        if (++m_count != m_fault_at) return Ok{};
        m_fired = true;
        if (m_mode == Mode::Exit) ::_exit(86);  // no destructors, no flushing: like kill -9
        if (m_mode == Mode::Interrupt) {
            m_interrupt = true;  // the change itself still happens
            return Ok{};
        }
        return make_error(ErrorCode::Io, path.string(),
                          "injected fault at change " + std::to_string(m_count));
    }

    std::size_t m_count = 0;
    std::size_t m_fault_at;
    Mode m_mode;
    bool m_fired = false;
    std::atomic<bool> m_interrupt{false};
};

}  // namespace bkcheck::test
