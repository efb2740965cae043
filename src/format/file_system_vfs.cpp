#include "file_system_vfs.h"

#include "page_aligned_bytes.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <functional>
#include <string_view>
#include <vector>

namespace bkcheck::detail {

namespace {

// A file read through the seam in windows of k_window_bytes: SQLite reads a page (4 KB) at a time,
// and a scan of a large index reads its pages one after the other, forward (a row scan) or
// backward (the integrity check walks each b-tree's cells from the last). A read next to the
// previous one fills a window in the direction of travel with one read_at, and the pages that
// follow are served from it: a pread per page was a fifth of a structural verify's CPU, most of it
// the system call rather than the copy. A read far from the previous one (a lookup) reads just what
// SQLite asks for.
//
// Pages are served two ways: copied out (read), or, where SQLite asks to fetch one (its memory-
// mapped I/O interface, which the read-only connections turn on), handed over as a pointer into the
// window, with no copy (the copies were 4 % of a structural verify's CPU). A window stays as it is
// while SQLite holds a page fetched from it (a b-tree cursor keeps its path of pages), so a few
// windows are kept: a new one is filled in a window no page is held from, or a new window up to
// k_max_windows; past that, a fetch is declined (SQLite then reads the page) and a read is read
// exactly.
class ReaderSource final : public DatabaseSource {
public:
    static constexpr std::size_t k_window_bytes = 128 << 10;
    static constexpr std::size_t k_max_windows = 8;

    explicit ReaderSource(std::unique_ptr<RandomAccessReader> reader) : m_reader(std::move(reader))
    {
    }
    std::uint64_t size() const override { return m_reader->size(); }

    bool read(std::uint8_t* out, std::size_t size, std::uint64_t offset) override
    {
        const std::uint8_t* bytes = serve(size, offset);
        if (bytes == nullptr) {
            m_last = offset;
            return read_exactly(out, size, offset);
        }
        std::memcpy(out, bytes, size);
        return true;
    }

    const std::uint8_t* fetch(std::size_t size, std::uint64_t offset) override
    {
        const std::uint8_t* bytes = serve(size, offset);
        if (bytes != nullptr) ++m_windows[m_current].held;
        return bytes;
    }

    void release(const std::uint8_t* bytes) override
    {
        const std::less<const std::uint8_t*> before;
        for (Window& window : m_windows) {
            const std::uint8_t* first = window.bytes.data();
            if (!before(bytes, first) && before(bytes, first + k_window_bytes)) {
                --window.held;
                return;
            }
        }
    }

private:
    struct Window {
        // Page-aligned (page_aligned_bytes.h): the kernel's copy into a heap block of this size,
        // 16 bytes past a page boundary, was 16 % of a structural verify's CPU; aligned, under 3 %.
        PageAlignedBytes bytes;
        std::uint64_t offset = 0;
        std::size_t size = 0;
        std::size_t held = 0;  // pages fetched from it and not yet released
        bool holds(std::uint64_t from, std::uint64_t end) const
        {
            return from >= offset && end <= offset + size;
        }
    };

    // [offset, offset + size) in a window (then m_current is that window and m_last this offset),
    // filling one if the read is next to the previous one; null when it is to be read exactly (far,
    // too large, past the end, every window held, or a read error: read_exactly then says which).
    // A fetch declined leaves m_last as it was: SQLite then reads the same page, which is the read
    // that counts (a far one must not make the next attempt near and fill a window for one page).
    const std::uint8_t* serve(std::size_t size, std::uint64_t offset)
    {
        const std::uint64_t end = offset + size;
        const bool near = offset <= m_last + k_window_bytes && m_last <= end + k_window_bytes;
        const bool backward = offset < m_last;
        if (m_current < m_windows.size() && m_windows[m_current].holds(offset, end)) {
            m_last = offset;
            return at(m_current, offset);
        }
        for (std::size_t i = 0; i < m_windows.size(); ++i) {
            if (m_windows[i].holds(offset, end)) {
                m_current = i;
                m_last = offset;
                return at(i, offset);
            }
        }
        if (!near || size >= k_window_bytes) return nullptr;
        // The window: from this read forward, or backward so that it ends with this read.
        const std::uint64_t file_size = m_reader->size();
        if (end > file_size) return nullptr;
        std::uint64_t start = offset;
        if (backward) start = end > k_window_bytes ? end - k_window_bytes : 0;
        const auto length =
            static_cast<std::size_t>(std::min<std::uint64_t>(k_window_bytes, file_size - start));
        const std::size_t free = free_window();
        if (free == m_windows.size()) return nullptr;
        Window& window = m_windows[free];
        auto count = m_reader->read_at(start, std::span<std::uint8_t>(window.bytes.data(), length));
        window.offset = start;
        window.size = count ? *count : 0;
        // A file that shrank while read is a read error (the window holds what was there).
        if (!window.holds(offset, end)) return nullptr;
        m_current = free;
        m_last = offset;
        return at(free, offset);
    }

    const std::uint8_t* at(std::size_t window, std::uint64_t offset) const
    {
        return m_windows[window].bytes.data() + (offset - m_windows[window].offset);
    }

    // A window no fetched page is held from (the current one first), or a new one; the count of
    // windows when every one is held and there may be no more.
    std::size_t free_window()
    {
        if (m_current < m_windows.size() && m_windows[m_current].held == 0) return m_current;
        for (std::size_t i = 0; i < m_windows.size(); ++i) {
            if (m_windows[i].held == 0) return i;
        }
        if (m_windows.size() == k_max_windows) return m_windows.size();
        Window window;
        window.bytes.resize(k_window_bytes);
        m_windows.push_back(std::move(window));
        return m_windows.size() - 1;
    }

    bool read_exactly(std::uint8_t* out, std::size_t size, std::uint64_t offset)
    {
        auto count = m_reader->read_at(offset, std::span<std::uint8_t>(out, size));
        return count && *count == size;  // a file that shrank while read is a read error
    }

    std::unique_ptr<RandomAccessReader> m_reader;
    std::vector<Window> m_windows;  // made as reads need them, at most k_max_windows
    std::size_t m_current = 0;      // the window the previous read was served from
    std::uint64_t m_last = 0;       // the offset of the previous read
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

    // A page of the source itself, not to be written (SQLite's memory-mapped reads); null to have
    // SQLite read it instead, always once the file has a private copy.
    const std::uint8_t* fetch(std::size_t size, std::uint64_t offset)
    {
        if (copied || source == nullptr) return nullptr;
        return source->fetch(size, offset);
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

int file_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out)
{
    *out = nullptr;
    if (offset < 0 || amount <= 0) return SQLITE_OK;
    const std::uint8_t* page = private_file(file).fetch(static_cast<std::size_t>(amount),
                                                        static_cast<std::uint64_t>(offset));
    // SQLite never writes a fetched page (it reads it into its cache first when it must change it).
    *out = const_cast<std::uint8_t*>(page);
    return SQLITE_OK;
}

int file_unfetch(sqlite3_file* file, sqlite3_int64, void* page)
{
    PrivateFile& ours = private_file(file);
    // A null page means "every page" and comes when none is held.
    if (page != nullptr && ours.source != nullptr)
        ours.source->release(static_cast<const std::uint8_t*>(page));
    return SQLITE_OK;
}

const sqlite3_io_methods k_methods = {
    3,  // iVersion: no shared memory (exclusive locking keeps the wal-index in heap); fetch
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
    file_fetch,
    file_unfetch,  // memory-mapped reads (version 3): pages out of ReaderSource's windows
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
