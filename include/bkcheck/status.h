// The vocabulary every other header of the library speaks: the errors of an operation (Status,
// Result), byte buffers (Bytes, and SecretBytes for keys) and the progress of a long operation.
//
// Errors are channel 2 of style.md §10: "the job could not be done".
// Facts about a backup are Findings (findings.h), not errors. An Error means an operation could not
// be carried out: a file could not be read, the folder is not a backup, the password is wrong.
// Every fallible function returns Result<T>, shaped like std::expected so it can be swapped later
// (g++ 12 has <expected> only with -std=c++23 and clang 14 not at all).
#pragma once

#include <array>
#include <atomic>
#include <cassert>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace bkcheck {

enum class ErrorCode {
    NotFound,         // the file or folder does not exist
    Io,               // the OS refused or failed a read/write (permission, disk full, ...)
    NotABackup,       // the folder holds none of the files a backup has
    Unsupported,      // a backup, but of a format/era bkcheck does not handle
    Corrupt,          // the bytes do not follow the format
    WrongPassword,    // the password (or derived key) does not unlock the keybag
    InvalidArgument,  // the caller asked for something impossible
    InUse,            // a backup is being written, or another bkcheck is changing it
    Interrupted,      // the user interrupted the operation
    LocalFault,  // this machine cannot give what the job needs (temporary space in TMPDIR): never
                 // the backup's fault
    Internal,    // a bug
};

// A stable lowercase name for the code ("not_found"), used in JSON output.
const char* error_code_name(ErrorCode code);

struct Error {
    ErrorCode code;
    std::string path;     // the file the error is about; may be empty
    std::string message;  // plain words: what is wrong, with position (offset, key) where known

    // "path: message", or just the message when there is no path.
    std::string describe() const;
};

inline Error make_error(ErrorCode code, std::string path, std::string message)
{
    return Error{code, std::move(path), std::move(message)};
}

// True when `error` is the OS refusing this user access (EACCES, EPERM) rather than a missing or
// failing file: not damage, and never a reason to drop, rebuild or move anything.
bool is_permission_error(const Error& error);

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_state(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_state(std::in_place_index<1>, std::move(error)) {}

    bool has_value() const { return m_state.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() &
    {
        assert(has_value());
        return std::get<0>(m_state);
    }
    const T& value() const&
    {
        assert(has_value());
        return std::get<0>(m_state);
    }
    T&& value() &&
    {
        assert(has_value());
        return std::get<0>(std::move(m_state));
    }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const&
    {
        assert(!has_value());
        return std::get<1>(m_state);
    }
    Error&& error() &&
    {
        assert(!has_value());
        return std::get<1>(std::move(m_state));
    }

private:
    std::variant<T, Error> m_state;
};

// Result<void>: success carries nothing.
struct Ok {};
using Status = Result<Ok>;

}  // namespace bkcheck

// Early return of the error from an expression yielding a Result (ccache's TRY).
#define BK_TRY(expr)                                  \
    do {                                              \
        auto bk_try_result_ = (expr);                 \
        if (!bk_try_result_) {                        \
            return std::move(bk_try_result_).error(); \
        }                                             \
    } while (false)

// How long operations report progress without knowing about terminals (restic's Printer/Counter).
// The CLI implements it with a rate-limited line on a TTY; tests and libraries pass
// null_progress().
namespace bkcheck {

class Progress {
public:
    virtual ~Progress() = default;
    // A phase begins; `total` is in the phase's unit (bytes when reading blobs), 0 when unknown.
    virtual void start(std::string_view phase, std::uint64_t total) = 0;
    // `amount` more units are done. May be called from several threads at once.
    virtual void advance(std::uint64_t amount) = 0;
    virtual void finish() = 0;
};

// A Progress that ignores everything.
Progress& null_progress();

// What every long operation (verify, seal check, doctor, prune, repair, apply, extract, export) is
// handed besides its own options, which derive from it: how many threads it may use, what time it
// is, where it reports progress and what stops it. One CLI builds one and hands it to whichever
// operation a verb runs. The file systems an operation reads and writes are parameters of each
// operation instead, so that the seam shows in every signature and no test can forget it.
struct OperationContext {
    unsigned threads = 0;          // 0: one per core (an operation uses at most k_max_threads)
    std::int64_t now = 0;          // Unix seconds: run ids, rebuilt plists, what counts as recent
    Progress* progress = nullptr;  // null: nowhere
    const std::atomic<bool>* cancel = nullptr;  // set by the caller to stop early (Ctrl-C)

    Progress& reporter() const { return progress != nullptr ? *progress : null_progress(); }
    bool cancelled() const { return cancel != nullptr && cancel->load(); }
};

// Gives an operation's options (they derive from OperationContext) the context `context`; an
// operation that runs another (repair's verify, prune's apply) hands on its own the same way.
inline void share_context(OperationContext& options, const OperationContext& context)
{
    options = context;
}

}  // namespace bkcheck

// Byte buffers: what files, digests and keys are made of (helpers such as to_hex are internal).
namespace bkcheck {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;
using Sha1Digest = std::array<std::uint8_t, 20>;

inline ByteView as_bytes(std::string_view text)
{
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// Key bytes that are wiped when they go away, so keys do not linger in freed memory. The wipe is
// done through a volatile pointer (secret_bytes.cpp), which the optimiser may not drop, rather than
// OpenSSL's cleanse, so that this vocabulary type needs no third-party library.
class SecretBytes {
public:
    SecretBytes() = default;
    explicit SecretBytes(ByteView bytes) : m_bytes(bytes.begin(), bytes.end()) {}
    explicit SecretBytes(Bytes&& bytes) : m_bytes(std::move(bytes)) {}
    SecretBytes(const SecretBytes& other) = default;
    SecretBytes(SecretBytes&& other) noexcept = default;
    SecretBytes& operator=(const SecretBytes& other);
    SecretBytes& operator=(SecretBytes&& other) noexcept;
    ~SecretBytes();

    ByteView view() const { return m_bytes; }
    std::size_t size() const { return m_bytes.size(); }
    bool empty() const { return m_bytes.empty(); }

private:
    void wipe();
    Bytes m_bytes;
};

}  // namespace bkcheck
