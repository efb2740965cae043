// verify --deep: decoders that look into a file's content where the index cannot vouch for it (most
// files have no Digest). The type is told by the first bytes, never by the name; each decoder reads
// through a DatabaseSource (random access to the plaintext: the blob as it is, or decrypted in
// memory by decrypting_source.h) in bounded pieces, so a 2 GiB video is walked by its box headers
// and never loaded, and nothing is written anywhere. One file per decoder: content_sqlite.cpp,
// content_plist.cpp, content_jpeg.cpp, content_png.cpp, content_bmff.cpp. Private to the library.
#pragma once

#include "bytes.h"
#include "file_system_vfs.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bkcheck::detail {

enum class ContentType { Unknown, Sqlite, BinaryPlist, XmlPlist, Jpeg, Png, Heif, IsoMedia };

// What the first bytes of a file say it is (`head`: its first k_sniff_bytes, or all of a shorter
// file).
inline constexpr std::size_t k_sniff_bytes = 160;
ContentType sniff_content(ByteView head, std::uint64_t file_size);

// What a file's name says it is (by its extension, case-insensitive); Unknown when the name says
// nothing a decoder knows. Only for content.type_mismatch: the name never picks the decoder.
ContentType type_named(std::string_view relative_path);
// Whether content of type `found` is what a name saying `named` promises (an MP4 named .MOV is).
bool type_fits_name(ContentType named, ContentType found);
// "SQLite database", "JPEG image", ... for messages.
const char* content_type_name(ContentType type);

// The result of one decoder. `code` empty and `decoded`: the content is sound (level content).
// `code` empty and not `decoded`: not looked into (unknown type, or past a decoder's bound).
// `code` set: a content.* finding (or blob.unreadable when the source failed), `message` says what.
// Why a file of a known type was not looked into (VerifyCounts::NotDecoded counts them).
enum class NotDecoded { No, PlistTooLarge, PlistBeyondBounds, SqliteNeedsApp };
struct ContentOutcome {
    bool decoded = false;
    std::string_view code;
    std::string message;
    NotDecoded not_decoded = NotDecoded::No;

    static ContentOutcome sound() { return {true, {}, {}, NotDecoded::No}; }
    static ContentOutcome unchecked(NotDecoded why = NotDecoded::No)
    {
        return {false, {}, {}, why};
    }
    static ContentOutcome damaged(std::string_view code, std::string message)
    {
        return {false, code, std::move(message), NotDecoded::No};
    }
};

// Sequential and random reads over a DatabaseSource through one reused window (k_window_bytes), so
// decoders can ask for a few bytes at a time without a read (or a decryption) per call.
class ContentReader {
public:
    static constexpr std::size_t k_window_bytes = 64 * 1024;

    ContentReader(DatabaseSource& source, Bytes& window);
    std::uint64_t size() const { return m_size; }
    // The bytes from `offset` on that the window holds after filling it there if needed: at least
    // one when offset < size(); empty at the end, or when the source failed (failed() tells).
    ByteView at(std::uint64_t offset);
    // Exactly `count` bytes at `offset` into `out`; false when the file ends first or a read
    // fails.
    bool read(std::uint64_t offset, std::uint8_t* out, std::size_t count);
    bool failed() const { return m_failed; }

private:
    DatabaseSource& m_source;
    Bytes& m_window;
    std::uint64_t m_size;
    std::uint64_t m_start = 0;  // file offset of m_window[0]
    std::size_t m_filled = 0;   // valid bytes in the window
    bool m_failed = false;
};

// The outcome when a decoder's reader failed: the blob was read a moment ago, so this is an I/O
// error, not damage of the content.
ContentOutcome read_failure();

// Each decoder checks one type. `window` is reused between files (ContentReader).
// SQLite: opened read-only through a FileSystemVfs over `source` (header bytes 18-19 read as 1,
// so a WAL-mode database needs no -wal), with `wal` applied to a private in-memory copy when
// given; then PRAGMA quick_check (integrity_check with `full`).
ContentOutcome check_sqlite(DatabaseSource& source, std::unique_ptr<DatabaseSource> wal, bool full);
// Property lists up to k_deep_plist_max_bytes (larger ones are left unchecked), parsed within the
// bounds of plist.h; NSKeyedArchiver archives: every UID refers to an object the archive holds.
inline constexpr std::uint64_t k_deep_plist_max_bytes = 8u << 20;
ContentOutcome check_plist(ContentReader& reader);
ContentOutcome check_jpeg(ContentReader& reader);
ContentOutcome check_png(ContentReader& reader);
// HEIC/HEIF, MOV, MP4, M4A: the box walk (`type` Heif or IsoMedia).
ContentOutcome check_bmff(ContentReader& reader, ContentType type);

// Sniffs `source` and runs the decoder for its type. `relative_path` only feeds the type-mismatch
// warning, which `mismatch` receives (empty when the name fits or says nothing). `wal` finds the
// database's -wal companion (null: none), asked only when the content is SQLite.
struct ContentCheck {
    ContentType type = ContentType::Unknown;
    ContentOutcome outcome;
    std::string mismatch;  // the content.type_mismatch message, or empty
};
using WalFinder = std::function<std::unique_ptr<DatabaseSource>()>;
ContentCheck check_content(DatabaseSource& source, std::string_view relative_path, Bytes& window,
                           const WalFinder& wal = {}, bool full_sqlite_check = false);

}  // namespace bkcheck::detail
