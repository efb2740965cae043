// write_output_file for POSIX: claiming a path the user named (a key file, a seal, a report) so
// that no other user's file, leftover temporary or planted link is ever written through or
// replaced.
#include "posix_output_file.h"
#include "descriptor.h"
#include "durable_sync.h"
#include "exclusive_rename.h"
#include "platform.h"

#include "backup_folder.h"
#include "bkcheck/file_system.h"
#include "bkcheck/path_text.h"
#include "bytes.h"

#include <array>
#include <cerrno>
#include <random>

#include <fcntl.h>
#if BKCHECK_LINUX_CALLS
#include <sys/random.h>
#endif
#include <sys/stat.h>
#include <unistd.h>

namespace bkcheck {
namespace {

using detail::Descriptor;

constexpr std::size_t k_own_head_bytes = 4096;

std::string overwrite_hint(const OutputFileOptions& options)
{
    return options.replace_any
               ? "remove it or choose another path"
               : "choose another path, remove it, or give --overwrite to replace it";
}

// The path, its folder opened, and what is at the path now (checked to be replaceable).
struct Claim {
    Descriptor folder;
    std::string name;
    std::optional<struct stat> existing;
};

// Whether the regular file `name` (as `seen` by lstat) holds what options.is_own recognises.
bool is_own_file(int folder, const std::string& name, const struct stat& seen,
                 const OutputFileOptions& options)
{
    if (!options.is_own || seen.st_uid != ::geteuid()) return false;
    Descriptor file(
        ::openat(folder, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
    struct stat info {};
    if (file.get() < 0 || ::fstat(file.get(), &info) != 0) return false;
    if (!S_ISREG(info.st_mode) || info.st_dev != seen.st_dev || info.st_ino != seen.st_ino)
        return false;
    std::array<std::uint8_t, k_own_head_bytes> head{};
    std::size_t got = 0;
    while (got < head.size()) {
        ssize_t n = ::read(file.get(), head.data() + got, head.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    return options.is_own(ByteView(head.data(), got), static_cast<std::uint64_t>(info.st_size));
}

// Why the entry `seen` at `path` may not be replaced ("" when it may).
std::string replace_refusal(int folder, const std::string& name, const struct stat& seen,
                            const OutputFileOptions& options)
{
    if (S_ISLNK(seen.st_mode)) {
        return "is a symbolic link; bkcheck neither follows nor replaces one: remove the link or "
               "choose another path";
    }
    if (S_ISDIR(seen.st_mode)) return "is a folder: choose a file name";
    if (!S_ISREG(seen.st_mode)) return "exists and is not a regular file: choose another path";
    if (options.replace_any || is_own_file(folder, name, seen, options)) return "";
    if (options.is_own && seen.st_uid != ::geteuid()) {
        return "already exists and belongs to another user; it is kept: " + overwrite_hint(options);
    }
    return "already exists and is not a file bkcheck wrote; it is kept: " + overwrite_hint(options);
}

Result<Claim> claim_output_path(const fs::path& path, const OutputFileOptions& options)
{
    fs::path name = path.filename();
    if (name.empty() || name == "." || name == "..") {
        return make_error(ErrorCode::InvalidArgument, path_text(path), "not a file name");
    }
    BK_TRY(check_outside_backups(real_file_system(), path));
    fs::path folder_path = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    int folder = ::open(folder_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder < 0) {
        if (errno == ENOENT || errno == ENOTDIR) {
            return make_error(
                ErrorCode::NotFound, path_text(path),
                "cannot write here: " + path_text(folder_path) + " is not an existing folder");
        }
        return error_from_errno(errno, path, "cannot open its folder " + path_text(folder_path));
    }
    Claim claim{Descriptor(folder), path_text(name), {}};
    // A read-only mount or another user's folder: found now, not after an hour-long read.
    if (::faccessat(claim.folder.get(), ".", W_OK, AT_EACCESS) != 0) {
        return error_from_errno(errno, path, "cannot write in " + path_text(folder_path));
    }
    struct stat seen {};
    if (::fstatat(claim.folder.get(), claim.name.c_str(), &seen, AT_SYMLINK_NOFOLLOW) == 0) {
        if (std::string refusal = replace_refusal(claim.folder.get(), claim.name, seen, options);
            !refusal.empty()) {
            return make_error(ErrorCode::InvalidArgument, path_text(path), refusal);
        }
        claim.existing = seen;
    } else if (errno != ENOENT) {
        return error_from_errno(errno, path, "cannot look at");
    }
    return claim;
}

std::string random_suffix()
{
    std::array<std::uint8_t, 8> bytes{};
#if BKCHECK_LINUX_CALLS
    if (::getrandom(bytes.data(), bytes.size(), GRND_NONBLOCK) ==
        static_cast<ssize_t>(bytes.size()))
        return to_hex(ByteView(bytes.data(), bytes.size()));
#endif
    std::random_device device;
    for (auto& byte : bytes) byte = static_cast<std::uint8_t>(device());
    return to_hex(ByteView(bytes.data(), bytes.size()));
}

// Creates ".<name>.bkcheck-<pid>-<random>" in the folder, exclusively, 0600; never an existing one.
Result<std::pair<Descriptor, std::string>> create_temporary(const Claim& claim,
                                                            const fs::path& path)
{
    // Appended piece by piece: GCC 12 -O3 warns (-Wrestrict, a false positive, GCC bug 105329) on
    // "literal" + std::string&&, which the README's first command would print.
    std::string stem = ".";
    stem += claim.name.substr(0, 160);
    stem += ".bkcheck-" + std::to_string(::getpid()) + "-";
    for (int attempt = 0; attempt < 16; ++attempt) {
        std::string name = stem + random_suffix();
        int fd = ::openat(claim.folder.get(), name.c_str(),
                          O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0) return std::pair{Descriptor(fd), name};
        if (errno != EEXIST)
            return error_from_errno(errno, path, "cannot create a temporary file beside it");
    }
    return make_error(ErrorCode::Io, path_text(path),
                      "cannot create a temporary file beside it: every name tried exists");
}

Status write_all(int fd, ByteView bytes, const fs::path& path)
{
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return error_from_errno(errno, path, "cannot write");
        done += static_cast<std::size_t>(n);
    }
    return Ok{};
}

// Gives the written temporary the claimed name: never replacing when nothing was there, and
// otherwise only the very file that was checked.
Status install(const Claim& claim, const std::string& temporary, const fs::path& path,
               const OutputFileOptions& options)
{
    int folder = claim.folder.get();
    auto taken = [&]() {
        return make_error(
            ErrorCode::InvalidArgument, path_text(path),
            "appeared while bkcheck was writing it; it is kept: " + overwrite_hint(options));
    };
    if (!claim.existing) {
        if (detail::rename_exclusive(folder, temporary.c_str(), folder, claim.name.c_str()) == 0)
            return Ok{};
        if (errno == EEXIST) return taken();
        return error_from_errno(errno, path, "cannot give the file its name");
    }
    struct stat now {};
    const struct stat& checked = *claim.existing;
    if (::fstatat(folder, claim.name.c_str(), &now, AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISREG(now.st_mode) || now.st_dev != checked.st_dev || now.st_ino != checked.st_ino ||
        now.st_uid != checked.st_uid) {
        return make_error(ErrorCode::InvalidArgument, path_text(path),
                          "was replaced by something else while bkcheck was writing it; it is "
                          "kept: run again");
    }
    if (::renameat(folder, temporary.c_str(), folder, claim.name.c_str()) != 0) {
        return error_from_errno(errno, path, "cannot give the file its name");
    }
    return Ok{};
}

}  // namespace

Status detail::write_output_file_posix(const fs::path& path, ByteView bytes,
                                       const OutputFileOptions& options)
{
    auto claim = claim_output_path(path, options);
    if (!claim) return std::move(claim).error();
    auto created = create_temporary(*claim, path);
    if (!created) return std::move(created).error();
    auto& [file, temporary] = *created;
    mode_t mode = options.access == FileAccess::OwnerOnly ? 0600 : 0644;
    Status done = write_all(file.get(), bytes, path);
    // The mode is set explicitly: O_CREAT's is narrowed by the umask.
    if (done && ::fchmod(file.get(), mode) != 0)
        done = error_from_errno(errno, path, "cannot set its mode");
    if (done && detail::durable_sync(file.get()) != 0)
        done = error_from_errno(errno, path, "cannot write");
    if (file.close() != 0 && done) done = error_from_errno(errno, path, "cannot write");
    if (done) done = install(*claim, temporary, path, options);
    if (!done) {
        ::unlinkat(claim->folder.get(), temporary.c_str(), 0);
        return done;
    }
    if (detail::durable_sync(claim->folder.get()) != 0)
        return error_from_errno(errno, path, "cannot sync the folder of");
    return Ok{};
}

Status check_output_file(const fs::path& path, const OutputFileOptions& options)
{
    auto claim = claim_output_path(path, options);
    if (!claim) return std::move(claim).error();
    return Ok{};
}

}  // namespace bkcheck
