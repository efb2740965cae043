// A read-only SQLite VFS over one encrypted Manifest.db (iOS >= 10.2: AES-256-CBC, zero IV, PKCS#7,
// format.md §5.4). CBC decrypts any block from itself and the ciphertext block before it, so each
// page SQLite asks for is read and decrypted on demand: neither the ciphertext nor the plaintext is
// ever held whole (a real index reaches 1.2 GB), and nothing is written anywhere.
#pragma once

#include "bkcheck/file_system.h"
#include "bkcheck/status.h"
#include "crypto.h"

#include <sqlite3.h>

#include <memory>
#include <string>

namespace bkcheck::detail {

class DecryptingVfs {
public:
    // Opens `path` and checks its padding (Corrupt when invalid: damaged or truncated); the VFS is
    // registered under name() until destroyed, which must happen after the connection is closed.
    static Result<std::unique_ptr<DecryptingVfs>> create(const fs::path& path, ByteView key);
    ~DecryptingVfs();
    DecryptingVfs(const DecryptingVfs&) = delete;
    DecryptingVfs& operator=(const DecryptingVfs&) = delete;

    const char* name() const { return m_name.c_str(); }

    struct Source;  // the open file, its key and plaintext size

private:
    DecryptingVfs() = default;

    std::string m_name;
    sqlite3_vfs m_vfs{};
    std::unique_ptr<Source> m_source;
};

}  // namespace bkcheck::detail
