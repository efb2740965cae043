// Manifest.db, the SQLite index of iOS 10+ backups (format.md §3). Never changes a byte on disk,
// and reads one only through the FileSystem given: SQLite reads it through a read-only VFS over
// that file system, opened with immutable=1, or, when a non-empty -wal holds committed rows, with
// the -wal applied to a private copy in memory; images already in memory are opened with
// sqlite3_deserialize after setting header bytes 18-19 to 1 (§3.1, §8).
#pragma once

#include "bkcheck/file_system.h"
#include "bkcheck/manifest.h"
#include "bkcheck/status.h"
#include "bytes.h"

#include <functional>
#include <optional>

namespace bkcheck {

// Whether the file starts with SQLite's 16-byte magic: a plaintext database. Encrypted Manifest.db
// files (iOS >= 10.2) do not; iOS 10.0-10.1 encrypted backups keep a plaintext one (§5.6).
bool starts_with_sqlite_magic(const FileSystem& file_system, const fs::path& path);

// Reads Manifest.db at `db_path` (and `db_path`-wal when non-empty). NotFound when absent; Corrupt
// when it is not a SQLite database or has no Files table. Rows whose `file` archive does not decode
// go to `unreadable`; integrity and schema problems go to `index_problems`.
Result<ManifestIndex> read_manifest_db(const FileSystem& file_system, const fs::path& db_path,
                                       const ManifestDbOptions& options = {});

// Same, from a plaintext database image in memory (decrypted Manifest.db, fuzzing). `path` names
// it.
Result<ManifestIndex> read_manifest_db_image(Bytes image, std::string_view path,
                                             const ManifestDbOptions& options = {});

// One row of the Files table as stored: the `file` MBFile archive is kept as bytes, so a rebuilt
// index carries every row exactly as Apple wrote it (including keys bkcheck does not decode).
struct ManifestRow {
    std::string file_id;
    std::string domain;
    std::string relative_path;
    std::int64_t flags = 0;
    Bytes file;
};

// Streams the Files table in rowid order, one row at a time, so memory stays bounded whatever the
// index's size: `visit` sees each row in a buffer that the next row overwrites (copy what you keep,
// or swap it with a row of your own, whose buffers the next row then reuses: no copy at all) and
// returns false to stop early. Errors as read_manifest_db; the returned index holds only the
// index-wide problems (integrity check, schema, where reading stopped), no records.
// `rows_hint`, when given, is told once, before the first row, how many rows Files holds as its
// smallest index counts them (a few hundred pages for a million rows): something to size tables
// by, never a bound, since a damaged index may say anything.
using ManifestRowVisitor = std::function<bool(ManifestRow&)>;
using RowCountHint = std::function<void(std::uint64_t)>;
Result<ManifestIndex> stream_manifest_db(const FileSystem& file_system, const fs::path& db_path,
                                         const ManifestDbOptions& options,
                                         const ManifestRowVisitor& visit,
                                         const RowCountHint& rows_hint = {});
Result<ManifestIndex> stream_manifest_db_image(Bytes image, std::string_view path,
                                               const ManifestDbOptions& options,
                                               const ManifestRowVisitor& visit);

// Same for an encrypted Manifest.db (iOS >= 10.2) and its unwrapped ManifestKey: SQLite reads the
// file through a VFS that decrypts each page as it is read, so memory stays bounded by SQLite's
// page cache and no plaintext is written anywhere. Corrupt when its padding is invalid (damaged or
// truncated).
Result<ManifestIndex> stream_encrypted_manifest_db(const FileSystem& file_system,
                                                   const fs::path& db_path, ByteView key,
                                                   const ManifestDbOptions& options,
                                                   const ManifestRowVisitor& visit,
                                                   const RowCountHint& rows_hint = {});

// The row of `file_id` (the Files table's primary key, so one index lookup, not a scan), or nullopt
// when the index has none. With `key`, the Manifest.db of an iOS >= 10.2 encrypted backup is
// decrypted page by page as stream_encrypted_manifest_db does; with an empty `key` it is read as a
// plaintext database. verify --deep uses it for the few rows it needs out of order (a database's
// -wal companion in an encrypted backup, whose own key is in its row).
Result<std::optional<ManifestRow>> find_manifest_row(const FileSystem& file_system,
                                                     const fs::path& db_path, ByteView key,
                                                     std::string_view file_id);

// A streamed row as a FileRecord: the columns, then its MBFile archive decoded into `record` (whose
// strings and buffers are reused when it is passed in again). Corrupt with the reason ("MBFile
// record: ...") when the archive is empty or malformed.
Status decode_manifest_row(const ManifestRow& row, FileRecord& record);

// A visitor for the readers above that decodes each row as it arrives and hands on the record, or
// the row with the reason it cannot be decoded.
ManifestRowVisitor decode_rows(std::function<void(FileRecord&&)> record,
                               std::function<void(UnreadableRecord&&)> unreadable);
// The same, keeping the whole index: records into `index.records`, the others into
// `index.unreadable`.
ManifestRowVisitor collect_rows_into(ManifestIndex& index);

struct SalvagedRows {
    std::vector<ManifestRow> rows;      // in rowid order
    std::vector<std::string> problems;  // where reading failed and what was stepped over
};

// The plaintext image of the Manifest.db at `db_path`, with the committed rows of a non-empty -wal
// folded in (in a private copy in memory: the backup is never opened for writing).
Result<Bytes> load_manifest_db_image(const FileSystem& file_system, const fs::path& db_path);

// Reads every row it can from a plaintext image, in rowid order, stepping over damaged pages.
// Corrupt when it is not SQLite or has no Files table with Apple's columns.
Result<SalvagedRows> salvage_manifest_rows(Bytes image, std::string_view path);

}  // namespace bkcheck
