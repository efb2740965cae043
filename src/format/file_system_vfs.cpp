#include "file_system_vfs.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <new>
#include <string_view>
#include <vector>

namespace bkcheck::detail {

namespace {

// A file read through the seam in windows of k_window_bytes: SQLite reads a page (4 KB) at a time,
// and a scan of a large index reads its pages one after the other, forward (a row scan) or
// backward (the integrity check walks each b-tree's cells from the last). A read next to the
// previous one fills a window in the direction of travel with one read_at, and the pages that
// follow are copied from it: a pread per page was a fifth of a structural verify's CPU, most of it
// the system call rather than the copy. A read far from the previous one (a lookup) reads just what
// SQLite asks for.
class ReaderSource final : public DatabaseSource {
public:
    static constexpr std::size_t k_window_bytes = 128 << 10;

    explicit ReaderSource(std::unique_ptr<RandomAccessReader> reader) : m_reader(std::move(reader))
    {
    }
    std::uint64_t size() const override { return m_reader->size(); }
    bool read(std::uint8_t* out, std::size_t size, std::uint64_t offset) override
    {
        const std::uint64_t end = offset + size;
        const bool near = offset <= m_last + k_window_bytes && m_last <= end + k_window_bytes;
        const bool backward = offset < m_last;
        m_last = offset;
        if (offset >= m_window_offset && end <= m_window_offset + m_window_size) {
            std::memcpy(out, m_window.get() + (offset - m_window_offset), size);
            return true;
        }
        if (!near || size >= k_window_bytes) return read_exactly(out, size, offset);
        // The window: from this read forward, or backward so that it ends with this read.
        const std::uint64_t file_size = m_reader->size();
        if (end > file_size) return read_exactly(out, size, offset);  // the reader says why
        std::uint64_t start = offset;
        if (backward) start = end > k_window_bytes ? end - k_window_bytes : 0;
        const auto length =
            static_cast<std::size_t>(std::min<std::uint64_t>(k_window_bytes, file_size - start));
        if (!m_window) {
            m_window.reset(static_cast<std::uint8_t*>(
                ::operator new[](k_window_bytes, std::align_val_t{k_window_alignment})));
        }
        auto count = m_reader->read_at(start, std::span<std::uint8_t>(m_window.get(), length));
        m_window_offset = start;
        m_window_size = count ? *count : 0;
        // A file that shrank while read is a read error (the window holds what was there).
        if (offset < m_window_offset || end > m_window_offset + m_window_size) return false;
        std::memcpy(out, m_window.get() + (offset - m_window_offset), size);
        return true;
    }

private:
    bool read_exactly(std::uint8_t* out, std::size_t size, std::uint64_t offset)
    {
        auto count = m_reader->read_at(offset, std::span<std::uint8_t>(out, size));
        return count && *count == size;  // a file that shrank while read is a read error
    }

    // Page-aligned: the kernel copies into it with `rep movsb`, which on AMD Zen runs at a sixth of
    // its speed when the destination lies 1 to 32 bytes past a 4 KiB boundary (the page cache's
    // pages start on one), as the 16-byte header of a heap block of this size puts it. That copy
    // was 16 % of a structural verify's CPU; aligned, it is under 3 %.
    struct AlignedFree {
        void operator()(std::uint8_t* bytes) const
        {
            ::operator delete[](bytes, std::align_val_t{k_window_alignment});
        }
    };
    static constexpr std::size_t k_window_alignment = 4096;

    std::unique_ptr<RandomAccessReader> m_reader;
    std::unique_ptr<std::uint8_t[], AlignedFree> m_window;  // made on the first read that fills it
    std::uint64_t m_window_offset = 0;
    std::size_t m_window_size = 0;
    std::uint64_t m_last = 0;  // the offset of the previous read
};

class MemorySource final : public DatabaseSource {
public:
    explicit MemorySource(Bytes bytes) : m_bytes(std::move(bytes)) {}
    std::uint64_t size() const override { return m_bytes.size(); }
    bool read(std::uint8_t* out, std::size_t size, std::uint64_t offset) override
    {
        std::memcpy(out, m_bytes.data() + offset, size);
        return true;
    }

private:
    Bytes m_bytes;
};

class ViewSource final : public DatabaseSource {
public:
    explicit ViewSource(ByteView bytes) : m_bytes(bytes) {}
    std::uint64_t size() const override { return m_bytes.size(); }
    bool read(std::uint8_t* out, std::size_t size, std::uint64_t offset) override
    {
        if (offset > m_bytes.size() || size > m_bytes.size() - offset) return false;
        std::memcpy(out, m_bytes.data() + offset, size);
        return true;
    }

private:
    ByteView m_bytes;
};

// One file as SQLite sees it: its source until SQLite first writes, then a private copy in memory.
struct PrivateFile {
    std::unique_ptr<DatabaseSource> source;  // null: a file SQLite created
    bool copied = false;
    Bytes copy;

    std::uint64_t size() const
    {
        return copied ? copy.size() : source == nullptr ? 0 : source->size();
    }

    bool read(std::uint8_t* out, std::size_t size, std::uint64_t offset)
    {
        if (size == 0) return true;
        if (copied) {
            std::memcpy(out, copy.data() + offset, size);
            return true;
        }
        return source->read(out, size, offset);
    }

    bool make_copy()
    {
        if (copied) return true;
        Bytes bytes(static_cast<std::size_t>(size()));
        if (!read(bytes.data(), bytes.size(), 0)) return false;
        copy = std::move(bytes);
        copied = true;
        return true;
    }
};

}  // namespace

struct FileSystemVfs::Files {
    PrivateFile database;
    PrivateFile wal;
    bool wal_exists = false;
    std::vector<std::unique_ptr<PrivateFile>> journals;  // rollback journals SQLite made, if any
};

namespace {

const std::string k_wal_name = std::string(FileSystemVfs::k_database_name) + "-wal";

// A connection's file: one of Files' (anything else SQLite opens goes to the default VFS, in the
// same memory, with its own methods).
struct File {
    sqlite3_file base;
    PrivateFile* file;
};

sqlite3_vfs* default_vfs()
{
    return sqlite3_vfs_find(nullptr);
}

PrivateFile& private_file(sqlite3_file* file)
{
    return *reinterpret_cast<File*>(file)->file;
}

bool is_ours(const char* name)
{
    return name != nullptr && std::string_view(name).rfind(FileSystemVfs::k_database_name, 0) == 0;
}

int file_close(sqlite3_file*)
{
    return SQLITE_OK;  // the files belong to the FileSystemVfs
}

int file_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset)
{
    PrivateFile& ours = private_file(file);
    auto* bytes = static_cast<std::uint8_t*>(out);
    auto start = static_cast<std::uint64_t>(offset);
    auto wanted = static_cast<std::size_t>(amount);
    std::uint64_t size = ours.size();
    std::size_t available =
        start >= size ? 0 : static_cast<std::size_t>(std::min<std::uint64_t>(wanted, size - start));
    if (available > 0 && !ours.read(bytes, available, start)) return SQLITE_IOERR_READ;
    if (available < wanted) {
        std::memset(bytes + available, 0, wanted - available);  // SQLite requires the zero fill
        return SQLITE_IOERR_SHORT_READ;
    }
    return SQLITE_OK;
}

int file_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset)
{
    PrivateFile& ours = private_file(file);
    if (!ours.make_copy()) return SQLITE_IOERR_WRITE;
    auto end = static_cast<std::size_t>(offset) + static_cast<std::size_t>(amount);
    if (ours.copy.size() < end) ours.copy.resize(end);
    std::memcpy(ours.copy.data() + offset, data, static_cast<std::size_t>(amount));
    return SQLITE_OK;
}

int file_truncate(sqlite3_file* file, sqlite3_int64 size)
{
    PrivateFile& ours = private_file(file);
    if (!ours.make_copy()) return SQLITE_IOERR_TRUNCATE;
    if (ours.copy.size() > static_cast<std::uint64_t>(size))
        ours.copy.resize(static_cast<std::size_t>(size));
    return SQLITE_OK;
}

int file_sync(sqlite3_file*, int)
{
    return SQLITE_OK;
}

int file_size(sqlite3_file* file, sqlite3_int64* size)
{
    *size = static_cast<sqlite3_int64>(private_file(file).size());
    return SQLITE_OK;
}

int file_lock(sqlite3_file*, int)
{
    return SQLITE_OK;  // one connection, in this process only
}

int file_check_reserved_lock(sqlite3_file*, int* out)
{
    *out = 0;
    return SQLITE_OK;
}

int file_control(sqlite3_file*, int, void*)
{
    return SQLITE_NOTFOUND;
}

int file_sector_size(sqlite3_file*)
{
    return 4096;
}

int file_device_characteristics(sqlite3_file*)
{
    return 0;  // immutable=1 in the name says so when it is (it would also hide a -wal)
}

const sqlite3_io_methods k_methods = {
    1,  // iVersion: no shared memory (exclusive locking keeps the wal-index in heap), no mmap
    file_close,
    file_read,
    file_write,
    file_truncate,
    file_sync,
    file_size,
    file_lock,
    file_lock,
    file_check_reserved_lock,
    file_control,
    file_sector_size,
    file_device_characteristics,
    nullptr,
    nullptr,
    nullptr,
    nullptr,  // shared memory (version 2)
    nullptr,
    nullptr,  // memory-mapped reads (version 3)
};

FileSystemVfs::Files& files_of(sqlite3_vfs* vfs)
{
    return *static_cast<FileSystemVfs::Files*>(vfs->pAppData);
}

int vfs_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags)
{
    FileSystemVfs::Files& files = files_of(vfs);
    PrivateFile* target = nullptr;
    if ((flags & SQLITE_OPEN_MAIN_DB) != 0) {
        target = &files.database;
    } else if ((flags & SQLITE_OPEN_WAL) != 0) {
        if (!files.wal_exists) {
            if ((flags & SQLITE_OPEN_CREATE) == 0) return SQLITE_CANTOPEN;
            files.wal = PrivateFile{nullptr, true, {}};
            files.wal_exists = true;
        }
        target = &files.wal;
    } else if ((flags & (SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_SUPER_JOURNAL)) != 0 ||
               is_ours(name)) {
        // Never beside the backup (nor in the working folder): in memory, empty.
        files.journals.push_back(std::make_unique<PrivateFile>(PrivateFile{nullptr, true, {}}));
        target = files.journals.back().get();
    } else {
        sqlite3_vfs* fallback = default_vfs();  // SQLite's scratch files
        return fallback->xOpen(fallback, name, file, flags, out_flags);
    }
    auto* ours = reinterpret_cast<File*>(file);
    ours->base.pMethods = &k_methods;
    ours->file = target;
    if (out_flags != nullptr) *out_flags = flags;
    return SQLITE_OK;
}

int vfs_delete(sqlite3_vfs* vfs, const char* name, int sync)
{
    if (!is_ours(name)) return default_vfs()->xDelete(default_vfs(), name, sync);
    FileSystemVfs::Files& files = files_of(vfs);
    if (name == k_wal_name) {
        files.wal = PrivateFile{};
        files.wal_exists = false;
    }
    return SQLITE_OK;
}

int vfs_access(sqlite3_vfs* vfs, const char* name, int flags, int* out)
{
    if (!is_ours(name)) return default_vfs()->xAccess(default_vfs(), name, flags, out);
    const FileSystemVfs::Files& files = files_of(vfs);
    *out = name == std::string_view(FileSystemVfs::k_database_name) ||
           (name == k_wal_name && files.wal_exists);
    return SQLITE_OK;
}

int vfs_full_pathname(sqlite3_vfs*, const char* name, int size, char* out)
{
    if (!is_ours(name)) return default_vfs()->xFullPathname(default_vfs(), name, size, out);
    sqlite3_snprintf(size, out, "%s", name);
    return SQLITE_OK;
}

int vfs_randomness(sqlite3_vfs*, int size, char* out)
{
    return default_vfs()->xRandomness(default_vfs(), size, out);
}

int vfs_sleep(sqlite3_vfs*, int microseconds)
{
    return default_vfs()->xSleep(default_vfs(), microseconds);
}

int vfs_current_time(sqlite3_vfs*, double* out)
{
    return default_vfs()->xCurrentTime(default_vfs(), out);
}

int vfs_last_error(sqlite3_vfs*, int size, char* out)
{
    return default_vfs()->xGetLastError(default_vfs(), size, out);
}

}  // namespace

Result<std::unique_ptr<DatabaseSource>> file_source(const FileSystem& file_system,
                                                    const fs::path& path)
{
    auto reader = file_system.open_random_access(path);
    if (!reader) return std::move(reader).error();
    return std::unique_ptr<DatabaseSource>(std::make_unique<ReaderSource>(std::move(*reader)));
}

std::unique_ptr<DatabaseSource> memory_source(Bytes bytes)
{
    return std::make_unique<MemorySource>(std::move(bytes));
}

std::unique_ptr<DatabaseSource> view_source(ByteView bytes)
{
    return std::make_unique<ViewSource>(bytes);
}

Result<std::unique_ptr<FileSystemVfs>> FileSystemVfs::create(
    std::unique_ptr<DatabaseSource> database, std::unique_ptr<DatabaseSource> wal)
{
    std::unique_ptr<FileSystemVfs> vfs(new FileSystemVfs());
    vfs->m_files = std::make_unique<Files>();
    vfs->m_files->database.source = std::move(database);
    vfs->m_files->wal_exists = wal != nullptr;
    vfs->m_files->wal.source = std::move(wal);

    static std::atomic<unsigned> counter{0};
    vfs->m_name = "bkcheck-file-system-" + std::to_string(counter.fetch_add(1));
    sqlite3_vfs& v = vfs->m_vfs;
    v.iVersion = 1;
    v.szOsFile = std::max(default_vfs()->szOsFile, static_cast<int>(sizeof(File)));
    v.mxPathname = default_vfs()->mxPathname;
    v.zName = vfs->m_name.c_str();
    v.pAppData = vfs->m_files.get();
    v.xOpen = vfs_open;
    v.xDelete = vfs_delete;
    v.xAccess = vfs_access;
    v.xFullPathname = vfs_full_pathname;
    v.xRandomness = vfs_randomness;
    v.xSleep = vfs_sleep;
    v.xCurrentTime = vfs_current_time;
    v.xGetLastError = vfs_last_error;
    if (sqlite3_vfs_register(&v, 0) != SQLITE_OK) {
        vfs->m_name.clear();
        return make_error(ErrorCode::Internal, k_database_name,
                          "cannot register the file-system SQLite VFS");
    }
    return vfs;
}

FileSystemVfs::~FileSystemVfs()
{
    if (!m_name.empty()) sqlite3_vfs_unregister(&m_vfs);
}

Result<Bytes> FileSystemVfs::database_image() const
{
    PrivateFile& database = m_files->database;
    if (database.copied) return database.copy;
    Bytes image(static_cast<std::size_t>(database.size()));
    if (!database.read(image.data(), image.size(), 0))
        return make_error(ErrorCode::Io, k_database_name, "cannot be read");
    return image;
}

}  // namespace bkcheck::detail
