// The steps of verify_backup, one concern each, shared between verifier.cpp (which orders them)
// and the files that implement them. Private to the library.
#pragma once

#include "bkcheck/backup.h"
#include "bkcheck/findings.h"
#include "bkcheck/manifest.h"
#include "bkcheck/verifier.h"

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace bkcheck::detail {

// verify_plists.cpp: the three plists, completion and identity (format.md §2).
void check_plists(const Backup& backup, FindingSink& sink);
void check_completion(const Backup& backup, FindingSink& sink);
void check_identity(const Backup& backup, FindingSink& sink);

// verify_index.cpp: reads Manifest.db / Manifest.mbdb (an encrypted Manifest.db is decrypted in
// memory with `keys`, when given); nullopt (with findings) when unreadable.
std::optional<ManifestIndex> load_index(const FileSystem& file_system, const Backup& backup,
                                        const VerifyOptions& options, const ClassKeys* keys, FindingSink& sink);

// What the blob folders hold: blob name -> the folders it sits in ("" for the backup folder itself,
// "3d" for a two-hex folder; a stray copy can make it more than one). Built from directory listings
// once, so presence checks of a million records need no stat.
struct BlobTree {
    std::unordered_map<std::string, std::vector<std::string>> blobs;
};

// verify_tree.cpp: lists the backup folder; reports unknown top-level entries and non-blob files.
BlobTree scan_blob_tree(const FileSystem& file_system, const Backup& backup, FindingSink& sink);

// A record whose blob must be checked.
struct BlobJob {
    const FileRecord* record;
    bool encrypted;
    bool read_data;
};

// verify_records.cpp: per-record checks (fileID, mode, duplicates, unsafe paths), counts, and the
// list of blobs to check; marks every referenced blob name in `referenced`.
std::vector<BlobJob> check_records(const Backup& backup, const ManifestIndex& index, const VerifyOptions& options,
                                   FindingSink& sink, VerifyCounts& counts);

// verify_blobs.cpp: presence, placement, length and (read_data) digest of every job, in parallel;
// then orphan blobs (present in `tree`, referenced by no record).
// With `keys`, blobs that are read are also decrypted (streamed, never written anywhere) to check
// their key, padding and plaintext size.
Status check_blobs(const FileSystem& file_system, const Backup& backup, const ManifestIndex& index,
                   const std::vector<BlobJob>& jobs, const BlobTree& tree, const VerifyOptions& options,
                   const ClassKeys* keys, FindingSink& sink, VerifyCounts& counts, Progress& progress);

}  // namespace bkcheck::detail
