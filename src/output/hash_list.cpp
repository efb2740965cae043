#include "hash_list.h"

#include "bytes.h"

namespace bkcheck {
namespace {

std::string joined(const std::vector<std::string>& components)
{
    std::string path;
    for (const std::string& component : components) {
        if (!path.empty()) path += '/';
        path += component;
    }
    return path;
}

// Hashes what was written, and enters the file in the list once its real name is given.
class HashingOutputFile : public OutputFile {
public:
    HashingOutputFile(std::unique_ptr<OutputFile> inner, std::string path,
                      std::map<std::string, Sha256Digest>& files)
        : m_inner(std::move(inner)), m_path(std::move(path)), m_files(files)
    {
    }

    Status write(ByteView bytes) override
    {
        Status status = m_inner->write(bytes);
        if (status) m_hasher.update(bytes);
        return status;
    }

    Status commit(std::uint32_t mode, std::int64_t mtime) override
    {
        Status status = m_inner->commit(mode, mtime);
        if (status) m_files[m_path] = m_hasher.finish();
        return status;
    }

private:
    std::unique_ptr<OutputFile> m_inner;
    std::string m_path;
    std::map<std::string, Sha256Digest>& m_files;
    Sha256Hasher m_hasher;
};

}  // namespace

std::string sha256sum_line(const Sha256Digest& digest, std::string_view path)
{
    bool escaped = path.find_first_of("\\\n\r") != std::string_view::npos;
    std::string line = escaped ? "\\" : "";
    line += to_hex(digest);
    line += "  ";
    for (char c : path) {
        if (!escaped) {
            line += c;
            continue;
        }
        switch (c) {
            case '\\':
                line += "\\\\";
                break;
            case '\n':
                line += "\\n";
                break;
            case '\r':
                line += "\\r";
                break;
            default:
                line += c;
        }
    }
    line += '\n';
    return line;
}

Status HashingOutputTree::make_directory(const std::vector<std::string>& components)
{
    return m_inner.make_directory(components);
}

Status HashingOutputTree::set_directory_attributes(const std::vector<std::string>& components,
                                                   std::uint32_t mode, std::int64_t mtime)
{
    return m_inner.set_directory_attributes(components, mode, mtime);
}

Result<std::unique_ptr<OutputFile>> HashingOutputTree::create_file(
    const std::vector<std::string>& components)
{
    auto file = m_inner.create_file(components);
    if (!file) return std::move(file).error();
    return std::unique_ptr<OutputFile>(
        std::make_unique<HashingOutputFile>(std::move(*file), joined(components), m_files));
}

Status HashingOutputTree::create_symlink(const std::vector<std::string>& components,
                                         const std::string& target, std::int64_t mtime)
{
    // A symlink replacing a listed file (--overwrite) takes its name out of the list.
    Status status = m_inner.create_symlink(components, target, mtime);
    if (status) m_files.erase(joined(components));
    return status;
}

Result<std::vector<std::string>> HashingOutputTree::list_names(
    const std::vector<std::string>& components)
{
    return m_inner.list_names(components);
}

bool HashingOutputTree::exists(const std::vector<std::string>& components)
{
    return m_inner.exists(components);
}

Status HashingOutputTree::remove_file(const std::vector<std::string>& components)
{
    Status status = m_inner.remove_file(components);
    if (status) m_files.erase(joined(components));
    return status;
}

Status HashingOutputTree::sync()
{
    return m_inner.sync();
}

std::string HashingOutputTree::list() const
{
    std::string text;
    for (const auto& [path, digest] : m_files) text += sha256sum_line(digest, path);
    return text;
}

OutputFileOptions hash_list_file_options(bool overwrite)
{
    // An existing file is replaced only with --overwrite, an earlier list too: a sha256sum list
    // looks the same whoever wrote it (the SHA256SUMS of a download), so its shape cannot tell it
    // is bkcheck's to replace (trial).
    OutputFileOptions options;
    options.access = FileAccess::Everyone;
    options.replace_any = overwrite;
    return options;
}

}  // namespace bkcheck
