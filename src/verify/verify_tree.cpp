// Folder step of verify: what is on disk. Lists the backup folder and its two-hex blob folders once
// (so presence checks of a million records need no stat each), and reports entries that belong to
// no backup layout (format.md §1.3, §1.7). A blob folder or blob that is a symlink is noted, never
// followed: it may lead into another backup (blob.link).
#include "bkcheck/findings.h"
#include "bytes.h"
#include "verify_steps.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace bkcheck::detail {
namespace {

// Top-level names a backup may hold besides blobs; Snapshot is reported by the completion check.
constexpr std::array<std::string_view, 8> k_known_top_level = {
    "Info.plist",      "Status.plist",    "Manifest.plist", "Manifest.db",
    "Manifest.db-wal", "Manifest.db-shm", "Manifest.mbdb",  "Snapshot"};

bool is_known_top_level(std::string_view name)
{
    for (std::string_view known : k_known_top_level) {
        if (name == known) return true;
    }
    return false;
}

void report_entry(const std::string& relative, const std::string& what, FindingSink& sink)
{
    sink.add(make_finding(finding_code::orphan_entry, what + " that belongs to no backup layout",
                          {}, {}, relative));
}

std::string entry_kind(EntryType type)
{
    switch (type) {
        case EntryType::Directory:
            return "a folder";
        case EntryType::Symlink:
            return "a symbolic link";
        default:
            return "a file";
    }
}

// Notes a blob folder or blob that is a symlink, with its target; nothing behind it is looked at.
std::size_t add_link(const FileSystem& file_system, const Backup& backup, std::string relative,
                     BlobTree& tree)
{
    BlobTree::Link link{std::move(relative), {}, false};
    auto target = file_system.read_link(backup.path / link.path);
    if (target) {
        link.target = shown_link_target(*target);
        link.target_read = true;
    } else {
        link.target = target.error().message;
    }
    tree.links.push_back(std::move(link));
    return tree.links.size() - 1;
}

int hex_value(char c)
{
    return c <= '9' ? c - '0' : c - 'a' + 10;
}

// Adds a blob file found by a listing; its size and inode only when asked (a stat each).
void add_blob(const FileSystem& file_system, const fs::path& path, const DirEntry& listed,
              const BlobId& id, std::uint16_t folder, bool sizes, BlobTree& tree)
{
    tree.entries.push_back({id, folder});
    if (!sizes) return;
    tree.inodes.push_back(listed.inode);
    auto stat = file_system.stat(path);
    if (stat) tree.blob_bytes += stat->size;
}

void scan_blob_folder(const FileSystem& file_system, const Backup& backup,
                      const std::string& folder, bool sizes, BlobTree& tree, FindingSink& sink)
{
    fs::path folder_path = backup.path / folder;
    auto entries = file_system.list(folder_path);
    auto folder_number =
        static_cast<std::uint16_t>(hex_value(folder[0]) * 16 + hex_value(folder[1]));
    if (!entries) {
        bool denied = is_permission_error(entries.error());
        if (denied) tree.denied_folders.set(folder_number);
        sink.add(make_finding(
            denied ? finding_code::access_denied : finding_code::blob_unreadable,
            "the blob folder " + folder + " cannot be listed: " + entries.error().message +
                (denied ? " (the files whose content is in it were not checked)" : ""),
            {}, {}, folder));
        return;
    }
    for (const DirEntry& entry : *entries) {
        auto id = entry.type == EntryType::File || entry.type == EntryType::Symlink
                      ? parse_blob_id(entry.name)
                      : std::nullopt;
        if (id && entry.type == EntryType::Symlink) {
            std::size_t link = add_link(file_system, backup, folder + "/" + entry.name, tree);
            tree.linked_blobs.emplace_back(*id, static_cast<std::uint32_t>(link));
        } else if (id) {
            add_blob(file_system, folder_path / entry.name, entry, *id, folder_number, sizes, tree);
        } else {
            report_entry(folder + "/" + entry.name, entry_kind(entry.type), sink);
        }
    }
}

bool entry_before(const BlobTree::Entry& a, const BlobTree::Entry& b)
{
    return !blob_id_equal(a.id, b.id) ? blob_id_less(a.id, b.id) : a.folder < b.folder;
}

// Sorts the entries by (id, folder), their inodes (when kept) with them.
void sort_entries(BlobTree& tree)
{
    if (tree.inodes.empty()) {
        std::sort(tree.entries.begin(), tree.entries.end(), entry_before);
        return;
    }
    std::vector<std::uint32_t> order(tree.entries.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::uint32_t>(i);
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        return entry_before(tree.entries[a], tree.entries[b]);
    });
    std::vector<BlobTree::Entry> entries(order.size());
    std::vector<std::uint64_t> inodes(order.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        entries[i] = tree.entries[order[i]];
        inodes[i] = tree.inodes[order[i]];
    }
    tree.entries = std::move(entries);
    tree.inodes = std::move(inodes);
}

}  // namespace

std::optional<BlobId> parse_blob_id(std::string_view file_id)
{
    // Checked and decoded in one pass (is_file_id's rule): every row of the index comes here.
    if (file_id.size() != 2 * BlobId{}.size()) return std::nullopt;
    BlobId id;
    int values = 0;  // the digits' values ORed: negative once one is not lowercase hex
    for (std::size_t i = 0; i < id.size(); ++i) {
        int high = lower_hex_value(file_id[2 * i]), low = lower_hex_value(file_id[2 * i + 1]);
        values |= high | low;
        id[i] = static_cast<std::uint8_t>(high << 4 | low);
    }
    if (values < 0) return std::nullopt;
    return id;
}

std::string shown_link_target(std::string_view target)
{
    // Capped only: the finding's message is escaped where it is printed (terminal_safe), and --json
    // keeps the bytes exact. The cut may split a UTF-8 sequence; terminal_safe shows those bytes.
    static constexpr std::size_t k_shown_bytes = 200;
    if (target.size() <= k_shown_bytes) return std::string(target);
    return std::string(target.substr(0, k_shown_bytes)) + "... (" + std::to_string(target.size()) +
           " bytes)";
}

std::string blob_id_hex(const BlobId& id)
{
    return to_hex(ByteView(id.data(), id.size()));
}

std::size_t BlobIdHash::operator()(const BlobId& id) const
{
    std::size_t hash;  // fileIDs are SHA-1 digests: any 8 of their bytes are already uniform
    std::memcpy(&hash, id.data(), sizeof hash);
    return hash;
}

namespace {

std::size_t prefix_of(const BlobId& id, unsigned bits)
{
    return (static_cast<std::size_t>(id[0]) << 8 | id[1]) >> (16 - bits);
}

}  // namespace

void BlobTree::index_prefixes()
{
    prefix_bits = 0;  // about one entry per prefix
    while (prefix_bits < 16 && (std::size_t{1} << prefix_bits) < entries.size()) ++prefix_bits;
    prefix_start.assign((std::size_t{1} << prefix_bits) + 1, 0);
    for (const Entry& entry : entries) ++prefix_start[prefix_of(entry.id, prefix_bits) + 1];
    for (std::size_t i = 1; i < prefix_start.size(); ++i) prefix_start[i] += prefix_start[i - 1];
}

std::pair<std::size_t, std::size_t> BlobTree::find(const BlobId& id) const
{
    auto by_id = [](const Entry& entry, const BlobId& key) { return blob_id_less(entry.id, key); };
    auto begin = entries.begin(), end = entries.end();
    if (!prefix_start.empty()) {
        std::size_t prefix = prefix_of(id, prefix_bits);
        begin += prefix_start[prefix];
        end = entries.begin() + prefix_start[prefix + 1];
    }
    auto first = std::lower_bound(begin, end, id, by_id);
    auto last = first;
    while (last != end && blob_id_equal(last->id, id)) ++last;
    return {static_cast<std::size_t>(first - entries.begin()),
            static_cast<std::size_t>(last - entries.begin())};
}

void BlobTree::prefetch(const BlobId& id) const
{
    if (prefix_start.empty()) return;
    std::size_t first = prefix_start[prefix_of(id, prefix_bits)];
    if (first >= entries.size()) return;
    prefetch_address(&entries[first]);
    prefetch_address(&named[first]);
}

std::optional<std::size_t> BlobTree::link_for(const BlobId& id, std::uint16_t expected_folder) const
{
    if (expected_folder < linked_folders.size() && linked_folders.test(expected_folder)) {
        return folder_link[expected_folder];
    }
    if (linked_blobs.empty()) return std::nullopt;
    auto found = std::lower_bound(linked_blobs.begin(), linked_blobs.end(), id,
                                  [](const std::pair<BlobId, std::uint32_t>& link,
                                     const BlobId& key) { return link.first < key; });
    if (found == linked_blobs.end() || found->first != id) return std::nullopt;
    return found->second;
}

std::string BlobTree::folder_name(std::uint16_t folder)
{
    if (folder == k_flat) return "";
    static constexpr char k_hex[] = "0123456789abcdef";
    return {k_hex[folder >> 4], k_hex[folder & 0xF]};
}

BlobTree scan_blob_tree(const FileSystem& file_system, const Backup& backup, bool sizes,
                        FindingSink& sink)
{
    BlobTree tree;
    auto entries = file_system.list(backup.path);
    if (!entries)
        return tree;  // open_backup listed it a moment ago; a failure now shows up as missing blobs
    for (const DirEntry& entry : *entries) {
        if (is_known_top_level(entry.name)) continue;
        auto id = entry.type == EntryType::File || entry.type == EntryType::Symlink
                      ? parse_blob_id(entry.name)
                      : std::nullopt;
        if (entry.type == EntryType::Directory && is_blob_folder_name(entry.name)) {
            scan_blob_folder(file_system, backup, entry.name, sizes, tree, sink);
        } else if (entry.type == EntryType::Symlink && is_blob_folder_name(entry.name)) {
            std::size_t link = add_link(file_system, backup, entry.name, tree);
            auto folder =
                static_cast<std::size_t>(hex_value(entry.name[0]) * 16 + hex_value(entry.name[1]));
            tree.linked_folders.set(folder);
            tree.folder_link[folder] = static_cast<std::uint32_t>(link);
        } else if (id && entry.type == EntryType::Symlink) {
            // a flat blob (mbdb era) that is a link
            std::size_t link = add_link(file_system, backup, entry.name, tree);
            tree.linked_blobs.emplace_back(*id, static_cast<std::uint32_t>(link));
        } else if (id) {
            // mbdb-era blobs sit flat in the backup folder
            add_blob(file_system, backup.path / entry.name, entry, *id, BlobTree::k_flat, sizes,
                     tree);
        } else {
            report_entry(entry.name, entry_kind(entry.type), sink);
        }
    }
    sort_entries(tree);
    std::sort(tree.linked_blobs.begin(), tree.linked_blobs.end());
    tree.named.assign(tree.entries.size(), 0);
    tree.index_prefixes();
    return tree;
}

void report_links(const BlobTree& tree, const std::vector<std::uint64_t>& behind, bool index_read,
                  FindingSink& sink)
{
    for (std::size_t i = 0; i < tree.links.size(); ++i) {
        const BlobTree::Link& link = tree.links[i];
        bool folder = link.path.size() == 2;
        std::string message =
            std::string(folder ? "the blob folder" : "the blob") + " is a symbolic link " +
            (link.target_read ? "to \"" + link.target + "\"" : "(" + link.target + ")") +
            "; bkcheck does not look behind links, so ";
        std::uint64_t count = i < behind.size() ? behind[i] : 0;
        if (!index_read) {
            message +=
                "the index entries whose content is behind it (the index could not be read) were "
                "not checked";
        } else if (count == 1) {
            message += "1 index entry's content is behind this link and was not checked";
        } else {
            message += std::to_string(count) +
                       " index entries' content is behind this link and was not checked";
        }
        sink.add(make_finding(finding_code::blob_link, std::move(message), {}, {}, link.path));
    }
}

}  // namespace bkcheck::detail
