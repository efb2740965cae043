// The format-neutral index of a backup: one FileRecord per row of Manifest.db (iOS 10+, format.md
// §3) or record of Manifest.mbdb (iOS 5-9, §4). Both readers produce this same model, so the
// verifier never needs to know which index a backup has.
#pragma once

#include "bkcheck/status.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bkcheck {

// A backup fileID: lowercase hex SHA-1 of "<domain>-<relativePath>" (format.md §1.4), bytes as
// stored.
std::string file_id_for(std::string_view domain, std::string_view relative_path);

enum class IndexFormat { ManifestDb, ManifestMbdb };

enum class FileKind { File, Directory, Symlink, Unknown };

const char* file_kind_name(FileKind kind);

// Manifest.db `flags` column values (format.md §3.3).
inline constexpr std::int64_t k_flags_file = 1;
inline constexpr std::int64_t k_flags_directory = 2;
inline constexpr std::int64_t k_flags_symlink = 4;

// S_IFMT bits of Mode (§3.3, §4).
inline constexpr std::uint32_t k_mode_type_mask = 0170000;
inline constexpr std::uint32_t k_mode_file = 0100000;
inline constexpr std::uint32_t k_mode_directory = 0040000;
inline constexpr std::uint32_t k_mode_symlink = 0120000;

// The kind the S_IFMT bits of a mode say; Unknown when they name no file/dir/link.
FileKind kind_from_mode(std::uint32_t mode);
// The kind a Manifest.db `flags` value says; Unknown for any other value.
FileKind kind_from_flags(std::int64_t flags);

struct FileRecord {
    std::string file_id;  // as stored in the index (Manifest.db column) or computed (mbdb)
    std::string domain;
    std::string relative_path;
    FileKind kind = FileKind::Unknown;  // Manifest.db: from `flags`; mbdb: from the mode bits
    std::int64_t flags = 0;  // Manifest.db `flags` column; for mbdb, derived from the mode
    std::uint32_t mode = 0;  // full st_mode with type bits
    std::uint64_t inode = 0;
    std::uint32_t user_id = 0;
    std::uint32_t group_id = 0;
    std::int64_t modified = 0;  // Unix seconds
    std::int64_t status_changed = 0;
    std::int64_t born = 0;
    std::uint64_t size = 0;  // plaintext size in bytes
    std::uint32_t protection_class = 0;
    std::uint32_t bsd_flags = 0;  // MBFile `Flags` (st_flags); 0 for mbdb
    Bytes digest;                 // SHA-1 of the blob as stored (20 bytes), empty when absent
    Bytes encryption_key;         // 4-byte LE class + 40-byte wrapped key, empty when not encrypted
    std::string target;           // symlink target, empty otherwise
    std::vector<std::pair<std::string, Bytes>> extended_attributes;
};

// A row that exists in the index but whose content could not be decoded.
struct UnreadableRecord {
    std::string file_id;
    std::string domain;
    std::string relative_path;
    std::string reason;  // plain words, with the position where known
};

// Where a record's blob sits in the backup folder: "<xx>/<fileID>" for Manifest.db backups (the
// first two hex digits name the folder), "<fileID>" for Manifest.mbdb ones (format.md §1.3).
// Nothing when `file_id` is not exactly 40 lowercase hex digits: an index string names a file only
// once checked, so a crafted fileID ("../../etc/passwd") can never become a path.
std::optional<std::string> blob_relative_path(IndexFormat format, std::string_view file_id);

struct ManifestIndex {
    IndexFormat format = IndexFormat::ManifestDb;
    std::vector<FileRecord> records;
    std::vector<UnreadableRecord> unreadable;
    // Problems with the index as a whole that still let rows be read: integrity_check output,
    // an unexpected schema, bytes after the last mbdb record. Each one becomes manifest.unreadable.
    std::vector<std::string> index_problems;
};

// How Manifest.db is checked as it is read.
struct ManifestDbOptions {
    // PRAGMA quick_check (O(N)) by default; integrity_check also cross-checks indexes (slower).
    bool full_integrity_check = false;
};

}  // namespace bkcheck
