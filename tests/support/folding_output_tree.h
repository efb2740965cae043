// An in-memory output disk that behaves like a macOS or Windows volume: names are looked up without
// regard to case and Unicode form (as APFS case-insensitive and NTFS do), optionally refusing the
// names Windows refuses (as exFAT, or NTFS seen from Windows) and storing names decomposed (as
// HFS+). extract writes into it through the OutputTree interface (extract_into.h), so tests can see
// what a real run would do to such a disk without owning one.
//
// Its folding is its own, small and independent of the code under test: ASCII letters, and é, É,
// Å, å composed or decomposed, which is all the tests' names use.
#pragma once

#include "output_path.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bkcheck::test {

class FoldingOutputTree final : public OutputTree {
public:
    struct Behaviour {
        bool fold = true;                // case and Unicode form
        bool refuse_windows = false;     // \ : * ? " < > |, controls, trailing dot/space, CON...
        bool stores_decomposed = false;  // keeps é as e + U+0301 whatever was asked
    };

    struct Node {
        bool folder = false;
        bool symlink = false;
        std::string bytes;  // file content or link target
        std::uint32_t mode = 0;
        std::int64_t mtime = 0;
        // key -> (name as stored, node)
        std::map<std::string, std::pair<std::string, std::shared_ptr<Node>>> children;
    };

    explicit FoldingOutputTree(Behaviour behaviour) : m_behaviour(behaviour)
    {
        m_root = std::make_shared<Node>();
        m_root->folder = true;
    }

    void set_overwrite(bool overwrite) { m_overwrite = overwrite; }

    // Every file and link as "stored/path" -> content (a link: "-> target"); folders end in "/".
    std::map<std::string, std::string> entries() const
    {
        std::map<std::string, std::string> out;
        collect(*m_root, "", out);
        return out;
    }

    // How many files were replaced by a commit (an existing name taken over).
    int replacements() const { return m_replacements; }

    // ---- OutputTree ----

    Status make_directory(const std::vector<std::string>& components) override
    {
        auto dir = walk(components, components.size(), true);
        if (!dir) return dir.error();
        return Ok{};
    }

    Status set_directory_attributes(const std::vector<std::string>& components, std::uint32_t mode,
                                    std::int64_t mtime) override
    {
        auto dir = walk(components, components.size(), false);
        if (!dir) return dir.error();
        (*dir)->mode = mode;
        (*dir)->mtime = mtime;
        return Ok{};
    }

    Result<std::unique_ptr<OutputFile>> create_file(
        const std::vector<std::string>& components) override
    {
        auto dir = walk(components, components.size() - 1, true);
        if (!dir) return dir.error();
        BK_TRY(check_name(components));
        BK_TRY(check_replaceable(**dir, components));
        return std::unique_ptr<OutputFile>(new File(*this, *dir, components));
    }

    Status create_symlink(const std::vector<std::string>& components, const std::string& target,
                          std::int64_t mtime) override
    {
        auto dir = walk(components, components.size() - 1, true);
        if (!dir) return dir.error();
        BK_TRY(check_name(components));
        BK_TRY(check_replaceable(**dir, components));
        auto node = std::make_shared<Node>();
        node->symlink = true;
        node->bytes = target;
        node->mtime = mtime;
        put(**dir, components.back(), node);
        return Ok{};
    }

    Result<std::vector<std::string>> list_names(const std::vector<std::string>& components) override
    {
        std::vector<std::string> names;
        auto dir = walk(components, components.size(), false);
        if (!dir) {
            if (dir.error().code == ErrorCode::NotFound) return names;
            return dir.error();
        }
        for (const auto& [key, entry] : (*dir)->children) names.push_back(entry.first);
        return names;
    }

    bool exists(const std::vector<std::string>& components) override
    {
        auto dir = walk(components, components.size() - 1, false);
        return dir && (*dir)->children.count(key(components.back())) != 0;
    }

    Status remove_file(const std::vector<std::string>& components) override
    {
        auto dir = walk(components, components.size() - 1, false);
        if (!dir) return dir.error();
        (*dir)->children.erase(key(components.back()));
        return Ok{};
    }

    Status sync() override { return Ok{}; }

    // The name as this disk compares it.
    std::string key(const std::string& name) const
    {
        if (!m_behaviour.fold) return name;
        std::string out = decomposed(name);
        for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
        return out;
    }

private:
    class File final : public OutputFile {
    public:
        File(FoldingOutputTree& tree, std::shared_ptr<Node> dir,
             std::vector<std::string> components)
            : m_tree(tree), m_dir(std::move(dir)), m_components(std::move(components))
        {
        }
        Status write(ByteView bytes) override
        {
            m_bytes.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
            return Ok{};
        }
        Status commit(std::uint32_t mode, std::int64_t mtime) override
        {
            BK_TRY(m_tree.check_replaceable(*m_dir, m_components));
            auto node = std::make_shared<Node>();
            node->bytes = m_bytes;
            node->mode = mode;
            node->mtime = mtime;
            if (m_dir->children.count(m_tree.key(m_components.back())) != 0)
                ++m_tree.m_replacements;
            m_tree.put(*m_dir, m_components.back(), node);
            return Ok{};
        }

    private:
        FoldingOutputTree& m_tree;
        std::shared_ptr<Node> m_dir;
        std::vector<std::string> m_components;
        std::string m_bytes;
    };

    static std::string decomposed(const std::string& name)
    {
        static const std::pair<const char*, const char*> k_pairs[] = {
            {"\xC3\xA9", "e\xCC\x81"},
            {"\xC3\x89", "E\xCC\x81"},
            {"\xC3\x85", "A\xCC\x8A"},
            {"\xC3\xA5", "a\xCC\x8A"},
        };
        std::string out = name;
        for (const auto& [composed, decomposed_form] : k_pairs) {
            for (std::size_t at = out.find(composed); at != std::string::npos;
                 at = out.find(composed, at + 1)) {
                out.replace(at, 2, decomposed_form);
            }
        }
        return out;
    }

    static std::string joined(const std::vector<std::string>& components, std::size_t count)
    {
        std::string text;
        for (std::size_t i = 0; i < count; ++i) text += (i ? "/" : "") + components[i];
        return text;
    }

    Result<std::shared_ptr<Node>> walk(const std::vector<std::string>& components,
                                       std::size_t count, bool create)
    {
        std::shared_ptr<Node> current = m_root;
        for (std::size_t i = 0; i < count; ++i) {
            auto found = current->children.find(key(components[i]));
            if (found == current->children.end()) {
                if (!create)
                    return make_error(ErrorCode::NotFound, joined(components, i + 1), "missing");
                BK_TRY(check_one(components[i], joined(components, i + 1)));
                auto folder = std::make_shared<Node>();
                folder->folder = true;
                put(*current, components[i], folder);
                current = folder;
                continue;
            }
            if (!found->second.second->folder) {
                return make_error(ErrorCode::InvalidArgument, joined(components, i + 1),
                                  "cannot enter the folder: a component is not a folder");
            }
            current = found->second.second;
        }
        return current;
    }

    Status check_name(const std::vector<std::string>& components)
    {
        return check_one(components.back(), joined(components, components.size()));
    }

    // What exFAT or Windows answer EINVAL to, and what every disk answers ENAMETOOLONG to.
    Status check_one(const std::string& name, const std::string& path) const
    {
        if (name.size() > 255)
            return make_error(ErrorCode::InvalidArgument, path, "File name too long");
        if (!m_behaviour.refuse_windows) return Ok{};
        bool bad = name.back() == '.' || name.back() == ' ';
        for (char c : name) {
            bad = bad || static_cast<unsigned char>(c) < 0x20 ||
                  std::string_view("\\:*?\"<>|").find(c) != std::string_view::npos;
        }
        std::string base = key(name.substr(0, name.find('.')));
        bad = bad || base == "con" || base == "prn" || base == "aux" || base == "nul" ||
              (base.size() == 4 && (base.starts_with("com") || base.starts_with("lpt")) &&
               base[3] >= '1' && base[3] <= '9');
        if (bad) return make_error(ErrorCode::InvalidArgument, path, "Invalid argument");
        return Ok{};
    }

    Status check_replaceable(const Node& dir, const std::vector<std::string>& components) const
    {
        auto found = dir.children.find(key(components.back()));
        if (found == dir.children.end()) return Ok{};
        std::string path = joined(components, components.size());
        if (found->second.second->folder)
            return make_error(ErrorCode::InvalidArgument, path, "cannot replace: Is a directory");
        if (!m_overwrite) {
            return make_error(ErrorCode::InvalidArgument, path,
                              "cannot create: it already exists (--overwrite replaces files)");
        }
        return Ok{};
    }

    void put(Node& dir, const std::string& name, std::shared_ptr<Node> node)
    {
        std::string stored = m_behaviour.stores_decomposed ? decomposed(name) : name;
        dir.children[key(name)] = {stored, std::move(node)};
    }

    static void collect(const Node& dir, const std::string& prefix,
                        std::map<std::string, std::string>& out)
    {
        for (const auto& [key_text, entry] : dir.children) {
            const auto& [stored, node] = entry;
            std::string path = prefix + stored;
            if (node->folder) {
                out[path + "/"] = "";
                collect(*node, path + "/", out);
            } else {
                out[path] = node->symlink ? "-> " + node->bytes : node->bytes;
            }
        }
    }

    Behaviour m_behaviour;
    std::shared_ptr<Node> m_root;
    bool m_overwrite = false;
    int m_replacements = 0;
};

}  // namespace bkcheck::test
