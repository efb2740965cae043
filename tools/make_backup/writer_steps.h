// The steps of write_backup, shared between backup_writer.cpp (which orders them), blob_writer.cpp,
// index_writer.cpp and damage.cpp. Private to the generator.
#pragma once

#include "backup_writer.h"
#include "content.h"
#include "encrypt_writer.h"

#include "bytes.h"

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace bkcheck::testgen {

// The record (index into WriteContext::records) each record-level damage works on.
struct DamageTargets {
    std::optional<std::size_t> file_id_mismatch, record_unreadable, mode_type_missing, blob_missing,
        blob_misplaced, blob_size_mismatch, blob_digest_mismatch, snapshot_dir;
};

struct WriteContext {
    const BackupSpec& spec;
    DeviceProfile profile;
    fs::path dir;                     // the backup folder being written
    std::vector<FileRecord> records;  // sorted by (domain, relativePath)
    BackupKeys keys;                  // keybag (also written for unencrypted backups, §2.3)
    Bytes manifest_key;               // encrypted Manifest.db era only
    Bytes manifest_db_key;            // the key ManifestKey wraps
    std::vector<std::size_t>
        wal_rows;  // indexes into records kept out of Manifest.db, put in the -wal
    DamageTargets targets;

    bool has(Damage damage) const;
};

// Small file helpers: write a whole file, read a whole file, with Io errors naming the path.
Status write_file(const fs::path& path, ByteView bytes);
// std::fopen with a path in the platform's own encoding (UTF-16 on Windows, so any name opens).
std::FILE* open_stdio(const fs::path& path, const char* mode);
Result<Bytes> read_whole_file(const fs::path& path);

// blob_writer.cpp: per-file keys, encryption, digests; writes every regular file's blob.
Status write_blobs(WriteContext& context);

// index_writer.cpp: Manifest.db (with the record-level damages that live in the database, the -wal
// rows, and encryption) or Manifest.mbdb.
Status write_index(WriteContext& context);

// damage.cpp: picks the records each damage works on (disjoint), changes records before anything is
// written (fileID, mode), and applies the file-level damages after the healthy backup is on disk.
Status pick_damage_targets(WriteContext& context);
void apply_record_damages(WriteContext& context);
Status apply_file_damages(WriteContext& context);

}  // namespace bkcheck::testgen
