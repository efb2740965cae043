// Writing a new Manifest.db (format.md §3) with Apple's exact schema and settings: page size 4096,
// auto_vacuum incremental, user_version 2, WAL mode in the header. Built in memory, so an encrypted
// backup's index can be re-encrypted without its plaintext ever touching the disk. Used by repair
// (a salvaged or trimmed index), export (row by row as the blobs are written) and the generator.
#pragma once

#include "manifest_db.h"
#include "manifest_db.h"
#include "bkcheck/file_system.h"

#include <functional>
#include <memory>

namespace bkcheck {

// Takes rows one at a time, so a caller streaming a million records holds only the database being
// built (about the size of the file it becomes), not the records as well.
class ManifestDbBuilder {
public:
    static Result<ManifestDbBuilder> open();
    ManifestDbBuilder(ManifestDbBuilder&&) noexcept;
    ManifestDbBuilder& operator=(ManifestDbBuilder&&) noexcept;
    ~ManifestDbBuilder();

    // Corrupt naming the row when SQLite refuses it (a fileID seen before: the column is the key).
    Status add(const ManifestRow& row);
    // The row of `record`: its columns and its MBFile archive (encode_mbfile).
    Status add(const FileRecord& record);
    std::uint64_t rows() const { return m_rows; }
    // Commits and hands the finished image to `write` in pieces, in order, without copying it
    // whole. The builder takes no more rows afterwards.
    Status finish(const std::function<Status(ByteView)>& write);

private:
    struct State;
    explicit ManifestDbBuilder(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
    std::uint64_t m_rows = 0;
};

// A complete image holding `rows`, built as above.
Result<Bytes> build_manifest_db_image(const std::vector<ManifestRow>& rows);

// Writes a new Manifest.db at `db_path` holding `records` (archives built with encode_mbfile)
// through `file_system` (atomically, mode 0644). Used by the test-data generator; the file must not
// exist yet (InvalidArgument).
Status write_manifest_db(WritableFileSystem& file_system, const fs::path& db_path,
                         const std::vector<FileRecord>& records);

}  // namespace bkcheck
