// Every finding code, as a constant: a typo in a code is a build error, not a finding nobody can
// look up. The values are stable once released (finding_codes.cpp gives each its severity and
// remedy; the README's findings table lists the same codes, and a test compares the two).
#pragma once

#include <string_view>

namespace bkcheck::finding_code {

inline constexpr std::string_view info_plist_missing = "info_plist.missing";
inline constexpr std::string_view info_plist_unreadable = "info_plist.unreadable";
inline constexpr std::string_view info_plist_incomplete = "info_plist.incomplete";
inline constexpr std::string_view status_plist_missing = "status_plist.missing";
inline constexpr std::string_view status_plist_unreadable = "status_plist.unreadable";
inline constexpr std::string_view manifest_plist_missing = "manifest_plist.missing";
inline constexpr std::string_view manifest_plist_unreadable = "manifest_plist.unreadable";
inline constexpr std::string_view status_unfinished = "status.unfinished";
inline constexpr std::string_view snapshot_dir_present = "snapshot_dir.present";
inline constexpr std::string_view manifest_missing = "manifest.missing";
inline constexpr std::string_view manifest_unreadable = "manifest.unreadable";
inline constexpr std::string_view manifest_empty = "manifest.empty";
inline constexpr std::string_view manifest_salvaged = "manifest.salvaged";
inline constexpr std::string_view manifest_encrypted = "manifest.encrypted";
inline constexpr std::string_view manifest_key_unwrap_failed = "manifest.key_unwrap_failed";
inline constexpr std::string_view manifest_wal_present = "manifest.wal_present";
inline constexpr std::string_view change_unfinished = "change.unfinished";
inline constexpr std::string_view identity_mismatch = "identity.mismatch";
inline constexpr std::string_view folder_name_mismatch = "folder.name_mismatch";
inline constexpr std::string_view record_file_id_mismatch = "record.file_id_mismatch";
inline constexpr std::string_view record_unreadable = "record.unreadable";
inline constexpr std::string_view record_mode_type_missing = "record.mode_type_missing";
inline constexpr std::string_view record_duplicate = "record.duplicate";
inline constexpr std::string_view record_unsafe_path = "record.unsafe_path";
inline constexpr std::string_view blob_missing = "blob.missing";
inline constexpr std::string_view blob_misplaced = "blob.misplaced";
inline constexpr std::string_view blob_size_mismatch = "blob.size_mismatch";
inline constexpr std::string_view blob_size_unverified = "blob.size_unverified";
inline constexpr std::string_view blob_size_changed = "blob.size_changed";
inline constexpr std::string_view blob_padding_invalid = "blob.padding_invalid";
inline constexpr std::string_view blob_key_unwrap_failed = "blob.key_unwrap_failed";
inline constexpr std::string_view blob_digest_mismatch = "blob.digest_mismatch";
inline constexpr std::string_view access_denied = "access.denied";
inline constexpr std::string_view blob_unreadable = "blob.unreadable";
inline constexpr std::string_view blob_link = "blob.link";
inline constexpr std::string_view orphan_blob = "orphan.blob";
inline constexpr std::string_view orphan_entry = "orphan.entry";
inline constexpr std::string_view extract_unsafe_name = "extract.unsafe_name";
inline constexpr std::string_view extract_symlink_outside = "extract.symlink_outside";
inline constexpr std::string_view extract_exists = "extract.exists";
inline constexpr std::string_view extract_not_written = "extract.not_written";
inline constexpr std::string_view extract_damaged_written = "extract.damaged_written";
inline constexpr std::string_view export_size_fixed = "export.size_fixed";
inline constexpr std::string_view name_renamed = "name.renamed";
inline constexpr std::string_view seal_changed = "seal.changed";
inline constexpr std::string_view seal_missing = "seal.missing";
inline constexpr std::string_view seal_unsealed = "seal.unsealed";

}  // namespace bkcheck::finding_code
