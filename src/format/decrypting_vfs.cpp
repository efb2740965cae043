#include "decrypting_vfs.h"
#include "open_regular_file.h"
#include "openssl_methods.h"

#include <openssl/evp.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <vector>

namespace bkcheck::detail {

namespace {

constexpr std::size_t k_block = 16;

}  // namespace

struct DecryptingVfs::Source {
    int fd = -1;
    SecretBytes key;
    std::uint64_t cipher_size = 0;
    std::uint64_t plain_size = 0;
    EVP_CIPHER_CTX* context = EVP_CIPHER_CTX_new();
    std::vector<std::uint8_t> buffer;  // ciphertext, then plaintext, of one read

    ~Source()
    {
        if (fd >= 0) ::close(fd);
        EVP_CIPHER_CTX_free(context);
        OPENSSL_cleanse(buffer.data(), buffer.size());
    }

    bool read_exact(std::uint8_t* out, std::size_t size, std::uint64_t offset) const
    {
        while (size > 0) {
            ssize_t n = ::pread(fd, out, size, static_cast<off_t>(offset));
            if (n <= 0) return false;
            out += n;
            size -= static_cast<std::size_t>(n);
            offset += static_cast<std::uint64_t>(n);
        }
        return true;
    }

    // Decrypts plaintext [offset, offset + size) into `out`; false on a read error.
    bool decrypt(std::uint8_t* out, std::size_t size, std::uint64_t offset)
    {
        std::uint64_t first = offset / k_block;
        std::uint64_t last = (offset + size - 1) / k_block;           // inclusive
        std::uint64_t from = first == 0 ? 0 : (first - 1) * k_block;  // one block more: the IV
        std::size_t length = static_cast<std::size_t>((last + 1) * k_block - from);
        buffer.resize(length);
        if (!read_exact(buffer.data(), length, from)) return false;
        std::uint8_t iv[k_block] = {};
        const std::uint8_t* cipher = buffer.data();
        if (first != 0) {
            std::memcpy(iv, cipher, k_block);
            cipher += k_block;
            length -= k_block;
        }
        int written = 0;
        if (EVP_DecryptInit_ex(context, nullptr, nullptr, nullptr, iv) != 1 ||
            EVP_DecryptUpdate(context, buffer.data(), &written, cipher, static_cast<int>(length)) !=
                1) {
            return false;
        }
        std::memcpy(out, buffer.data() + (offset - first * k_block), size);
        return true;
    }
};

namespace {

// A connection's file: the decrypting source for the main database; anything else SQLite opens
// (it should open nothing else with immutable=1) goes to the default VFS, in the same memory.
struct File {
    sqlite3_file base;
    DecryptingVfs::Source* source;
};

sqlite3_vfs* default_vfs()
{
    return sqlite3_vfs_find(nullptr);
}

int file_close(sqlite3_file*)
{
    return SQLITE_OK;  // the source belongs to the DecryptingVfs
}

int file_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset)
{
    auto* source = reinterpret_cast<File*>(file)->source;
    auto* bytes = static_cast<std::uint8_t*>(out);
    auto start = static_cast<std::uint64_t>(offset);
    auto wanted = static_cast<std::size_t>(amount);
    std::size_t available =
        start >= source->plain_size
            ? 0
            : static_cast<std::size_t>(std::min<std::uint64_t>(wanted, source->plain_size - start));
    if (available > 0 && !source->decrypt(bytes, available, start)) return SQLITE_IOERR_READ;
    if (available < wanted) {
        std::memset(bytes + available, 0, wanted - available);  // SQLite requires the zero fill
        return SQLITE_IOERR_SHORT_READ;
    }
    // Apple's index is in WAL mode; read as a rollback-journal database it needs no -wal (§3.1).
    for (std::uint64_t header_byte : {18u, 19u}) {
        if (header_byte >= start && header_byte < start + wanted) bytes[header_byte - start] = 1;
    }
    return SQLITE_OK;
}

int file_read_only(sqlite3_file*, const void*, int, sqlite3_int64)
{
    return SQLITE_READONLY;
}

int file_truncate(sqlite3_file*, sqlite3_int64)
{
    return SQLITE_READONLY;
}

int file_sync(sqlite3_file*, int)
{
    return SQLITE_OK;
}

int file_size(sqlite3_file* file, sqlite3_int64* size)
{
    *size = static_cast<sqlite3_int64>(reinterpret_cast<File*>(file)->source->plain_size);
    return SQLITE_OK;
}

int file_lock(sqlite3_file*, int)
{
    return SQLITE_OK;
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
    return SQLITE_IOCAP_IMMUTABLE;
}

const sqlite3_io_methods k_methods = {
    1,  // iVersion: no shared memory, no mmap
    file_close,
    file_read,
    file_read_only,
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

int vfs_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags)
{
    if ((flags & SQLITE_OPEN_MAIN_DB) == 0) {
        sqlite3_vfs* fallback = default_vfs();
        return fallback->xOpen(fallback, name, file, flags, out_flags);
    }
    auto* ours = reinterpret_cast<File*>(file);
    ours->base.pMethods = &k_methods;
    ours->source = static_cast<DecryptingVfs::Source*>(vfs->pAppData);
    if (out_flags != nullptr) *out_flags = SQLITE_OPEN_READONLY;
    return SQLITE_OK;
}

int vfs_delete(sqlite3_vfs*, const char* name, int sync)
{
    return default_vfs()->xDelete(default_vfs(), name, sync);
}

int vfs_access(sqlite3_vfs*, const char* name, int flags, int* out)
{
    return default_vfs()->xAccess(default_vfs(), name, flags, out);
}

int vfs_full_pathname(sqlite3_vfs*, const char* name, int size, char* out)
{
    return default_vfs()->xFullPathname(default_vfs(), name, size, out);
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

Result<std::unique_ptr<DecryptingVfs>> DecryptingVfs::create(const fs::path& path, ByteView key)
{
    std::unique_ptr<DecryptingVfs> vfs(new DecryptingVfs());
    vfs->m_source = std::make_unique<Source>();
    Source& source = *vfs->m_source;
    source.key = SecretBytes(key);
    auto fd = detail::open_regular_file(path);
    if (!fd) return std::move(fd).error();
    source.fd = *fd;
    off_t size = ::lseek(source.fd, 0, SEEK_END);
    if (size <= 0 || size % static_cast<off_t>(k_block) != 0 || source.context == nullptr ||
        EVP_DecryptInit_ex(source.context, detail::aes_256_cbc_method(), nullptr, key.data(),
                           nullptr) != 1) {
        return make_error(ErrorCode::Corrupt, path.string(),
                          "does not decrypt (its length is not whole AES blocks)");
    }
    EVP_CIPHER_CTX_set_padding(source.context, 0);
    source.cipher_size = static_cast<std::uint64_t>(size);
    // The padding is in the last block: it gives the plaintext size, and checks the key and the
    // end.
    std::uint8_t last[k_block];
    std::uint64_t last_offset = source.cipher_size - k_block;
    source.plain_size = source.cipher_size;  // for decrypt()'s range below
    if (!source.decrypt(last, k_block, last_offset)) {
        return make_error(ErrorCode::Io, path.string(),
                          "cannot be read: " + std::string(std::strerror(errno)));
    }
    std::uint8_t padding = last[k_block - 1];
    bool valid = padding >= 1 && padding <= k_block &&
                 std::all_of(last + k_block - padding, last + k_block,
                             [&](std::uint8_t b) { return b == padding; });
    OPENSSL_cleanse(last, sizeof last);
    if (!valid) {
        return make_error(ErrorCode::Corrupt, path.string(),
                          "does not decrypt (its padding is invalid): the file is "
                          "damaged or truncated");
    }
    source.plain_size = source.cipher_size - padding;

    static std::atomic<unsigned> counter{0};
    vfs->m_name = "bkcheck-decrypting-" + std::to_string(counter.fetch_add(1));
    sqlite3_vfs& v = vfs->m_vfs;
    v.iVersion = 1;
    v.szOsFile = std::max(default_vfs()->szOsFile, static_cast<int>(sizeof(File)));
    v.mxPathname = default_vfs()->mxPathname;
    v.zName = vfs->m_name.c_str();
    v.pAppData = vfs->m_source.get();
    v.xOpen = vfs_open;
    v.xDelete = vfs_delete;
    v.xAccess = vfs_access;
    v.xFullPathname = vfs_full_pathname;
    v.xRandomness = vfs_randomness;
    v.xSleep = vfs_sleep;
    v.xCurrentTime = vfs_current_time;
    v.xGetLastError = vfs_last_error;
    if (sqlite3_vfs_register(&v, 0) != SQLITE_OK) {
        return make_error(ErrorCode::Internal, path.string(),
                          "cannot register the decrypting SQLite VFS");
    }
    return vfs;
}

DecryptingVfs::~DecryptingVfs()
{
    if (!m_name.empty()) sqlite3_vfs_unregister(&m_vfs);
}

}  // namespace bkcheck::detail
