// A SQLite VFS over bkcheck's FileSystem seam, so Manifest.db is read like every other file of a
// backup: a test's or a fuzzer's in-memory file system can hold it, and no byte of it is read
// behind the seam. One VFS serves one database (and its -wal) from DatabaseSources; nothing it
// serves ever reaches the disk: what SQLite writes (a checkpoint of the -wal) goes to private
// in-memory copies of the files. SQLite's own scratch files (a sort's temporary) go to the default
// VFS, as they would without this one.
//
// Two ways to open the database through it (manifest_db.cpp):
//  - "file:Manifest.db?immutable=1", read-only: no locking, no shared memory, any -wal ignored;
//  - read-write with PRAGMA locking_mode=EXCLUSIVE when a -wal holds committed rows: SQLite keeps
//    the wal-index in its own heap memory (no -shm), and the -wal's pages are read from it.
#pragma once

#include "bkcheck/file_system.h"
#include "bkcheck/status.h"
#include "bytes.h"

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>

namespace bkcheck::detail {

// The bytes SQLite reads as one file: a file of the backup as it is (file_source), one already in
// memory (memory_source), or decrypted (decrypting_source.h).
class DatabaseSource {
public:
    virtual ~DatabaseSource() = default;
    virtual std::uint64_t size() const = 0;
    // Fills out[0, size) from `offset`, where offset + size <= size(); false on a read error.
    virtual bool read(std::uint8_t* out, std::size_t size, std::uint64_t offset) = 0;
    // The same bytes in place, valid and unchanged until given to release(); null when the source
    // does not serve them so (the caller then reads them).
    virtual const std::uint8_t* fetch(std::size_t /*size*/, std::uint64_t /*offset*/)
    {
        return nullptr;
    }
    virtual void release(const std::uint8_t* /*bytes*/) {}
};

// `path` read through `file_system` (open_random_access: regular files only).
Result<std::unique_ptr<DatabaseSource>> file_source(const FileSystem& file_system,
                                                    const fs::path& path);

// `bytes` already read (a Manifest.db image in memory).
std::unique_ptr<DatabaseSource> memory_source(Bytes bytes);
// The same over bytes the caller owns and keeps unchanged while the source is used (verify --deep
// decodes a small file from the plaintext its read pass kept, with no copy).
std::unique_ptr<DatabaseSource> view_source(ByteView bytes);

class FileSystemVfs {
public:
    // The name SQLite is given for the database (the VFS serves no other).
    static constexpr const char* k_database_name = "Manifest.db";

    // Registers a VFS serving `database` as k_database_name and `wal` (may be null: none) as its
    // -wal, until destroyed, which must happen after the connection is closed.
    static Result<std::unique_ptr<FileSystemVfs>> create(std::unique_ptr<DatabaseSource> database,
                                                         std::unique_ptr<DatabaseSource> wal);
    ~FileSystemVfs();
    FileSystemVfs(const FileSystemVfs&) = delete;
    FileSystemVfs& operator=(const FileSystemVfs&) = delete;

    const char* name() const { return m_name.c_str(); }
    // The database as SQLite left it: after a checkpoint, the private copy it wrote; otherwise the
    // source read whole. Empty-handed (Io) on a read error.
    Result<Bytes> database_image() const;

    struct Files;  // the database and its -wal, each a source with a private copy once written

private:
    FileSystemVfs() = default;

    std::string m_name;
    sqlite3_vfs m_vfs{};
    std::unique_ptr<Files> m_files;
};

}  // namespace bkcheck::detail
