// Folder step of verify: what is on disk. Lists the backup folder and its two-hex blob folders once
// (so presence checks of a million records need no stat each), and reports entries that belong to no
// backup layout (format.md §1.3, §1.7).
#include "verify_steps.h"

#include <array>
#include <cctype>

namespace bkcheck::detail {
namespace {

// Top-level names a backup may hold besides blobs; Snapshot is reported by the completion check.
constexpr std::array<std::string_view, 8> k_known_top_level = {
    "Info.plist", "Status.plist", "Manifest.plist", "Manifest.db",
    "Manifest.db-wal", "Manifest.db-shm", "Manifest.mbdb", "Snapshot"};

bool is_known_top_level(std::string_view name)
{
    for (std::string_view known : k_known_top_level) {
        if (name == known) return true;
    }
    return false;
}

void report_entry(const std::string& relative, const std::string& what, FindingSink& sink)
{
    sink.add(make_finding("orphan.entry", what + " that belongs to no backup layout", {}, {}, relative));
}

void scan_blob_folder(const FileSystem& file_system, const Backup& backup, const std::string& folder, BlobTree& tree,
                      FindingSink& sink)
{
    auto entries = file_system.list(backup.path / folder);
    if (!entries) {
        sink.add(make_finding("blob.unreadable", "the blob folder " + folder + " cannot be listed: " +
                                                     entries.error().message, {}, {}, folder));
        return;
    }
    for (const DirEntry& entry : *entries) {
        std::string relative = folder + "/" + entry.name;
        if (entry.type == EntryType::File && is_file_id(entry.name)) {
            tree.blobs[entry.name].push_back(folder);
        } else {
            report_entry(relative, entry.type == EntryType::Directory ? "a folder" : "a file", sink);
        }
    }
}

}  // namespace

BlobTree scan_blob_tree(const FileSystem& file_system, const Backup& backup, FindingSink& sink)
{
    BlobTree tree;
    auto entries = file_system.list(backup.path);
    if (!entries) return tree;  // open_backup listed it a moment ago; a failure now shows up as missing blobs
    for (const DirEntry& entry : *entries) {
        if (is_known_top_level(entry.name)) continue;
        if (entry.type == EntryType::Directory && is_blob_folder_name(entry.name)) {
            scan_blob_folder(file_system, backup, entry.name, tree, sink);
        } else if (entry.type == EntryType::File && is_file_id(entry.name)) {
            tree.blobs[entry.name].push_back("");  // mbdb-era blobs sit flat in the backup folder
        } else {
            report_entry(entry.name, entry.type == EntryType::Directory ? "a folder" : "a file", sink);
        }
    }
    return tree;
}

}  // namespace bkcheck::detail
