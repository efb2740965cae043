// write_output_file for Windows: claiming a path the user named (a key file, a seal, a report) so
// that no leftover temporary or planted link is ever written through or replaced. As on POSIX:
// refused inside a backup, at a link, folder or device, at a file bkcheck did not write (without
// --overwrite); written to a new temporary, flushed, and renamed into place without replacing, or
// over the very file that was checked (its 128-bit identity, win32_reparse.h).
#include "win32_output_file.h"
#include "win32_path.h"
#include "win32_reparse.h"
#include "win32_tree_walk.h"

#include "backup_folder.h"
#include "bkcheck/path_text.h"

#include <array>
#include <optional>

namespace bkcheck {
namespace {

using detail::Handle;

constexpr std::size_t k_own_head_bytes = 4096;

std::string overwrite_hint(const OutputFileOptions& options)
{
    return options.replace_any
               ? "remove it or choose another path"
               : "choose another path, remove it, or give --overwrite to replace it";
}

struct Claim {
    detail::HeldFolder folder;
    std::wstring target;
    std::optional<EntryIdentity> existing;
};

// Whether the regular file at `target` holds what options.is_own recognises. Who owns it is left
// to its ACL: a file this user may not replace fails the rename.
bool is_own_file(const std::wstring& target, const OutputFileOptions& options)
{
    if (!options.is_own) return false;
    Handle file(::CreateFileW(target.c_str(), GENERIC_READ, detail::k_share_all, nullptr,
                              OPEN_EXISTING, FILE_FLAG_OPEN_REPARSE_POINT, nullptr));
    if (!file.valid()) return false;
    LARGE_INTEGER size{};
    if (!::GetFileSizeEx(file.get(), &size)) return false;
    std::array<std::uint8_t, k_own_head_bytes> head{};
    DWORD got = 0;
    if (!::ReadFile(file.get(), head.data(), static_cast<DWORD>(head.size()), &got, nullptr))
        return false;
    return options.is_own(ByteView(head.data(), got), static_cast<std::uint64_t>(size.QuadPart));
}

Result<Claim> claim_output_path(const fs::path& path, const OutputFileOptions& options)
{
    fs::path name = path.filename();
    if (name.empty() || name == "." || name == "..") {
        return make_error(ErrorCode::InvalidArgument, path_text(path), "not a file name");
    }
    BK_TRY(check_outside_backups(real_file_system(), path));
    fs::path folder_path = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    auto folder = detail::hold_root(folder_path);
    if (!folder) {
        if (folder.error().code == ErrorCode::NotFound) {
            return make_error(
                ErrorCode::NotFound, path_text(path),
                "cannot write here: " + path_text(folder_path) + " is not an existing folder");
        }
        return make_error(
            folder.error().code, path_text(path),
            "cannot open its folder " + path_text(folder_path) + ": " + folder.error().message);
    }
    Claim claim{std::move(*folder), {}, {}};
    claim.target = detail::append_component(claim.folder.path, path_text(name));
    // A read-only disk or another user's folder: found now, not after an hour-long read. A
    // temporary that deletes itself on close asks the file system itself (ACLs included).
    std::wstring probe =
        detail::append_component(claim.folder.path, detail::temporary_name_for(path_text(name)));
    Handle probe_file(::CreateFileW(probe.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_NEW,
                                    FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, nullptr));
    if (!probe_file.valid()) {
        return detail::error_from_win32(::GetLastError(), path,
                                        "cannot write in " + path_text(folder_path));
    }
    probe_file.reset();
    Handle existing = detail::open_entry(claim.target, FILE_READ_ATTRIBUTES);
    if (!existing.valid()) {
        DWORD error = ::GetLastError();
        if (error == ERROR_FILE_NOT_FOUND) return claim;
        return detail::error_from_win32(error, path, "cannot look at");
    }
    detail::EntryKind kind = detail::kind_of_handle(existing.get());
    auto refuse = [&](const std::string& why) {
        return make_error(ErrorCode::InvalidArgument, path_text(path), why);
    };
    if (!kind.ok) return detail::error_from_win32(::GetLastError(), path, "cannot look at");
    if (kind.reparse_point) {
        return refuse(
            "is a symbolic link; bkcheck neither follows nor replaces one: remove the link or "
            "choose another path");
    }
    if (kind.directory) return refuse("is a folder: choose a file name");
    if (::GetFileType(existing.get()) != FILE_TYPE_DISK)
        return refuse("exists and is not a regular file: choose another path");
    if (!options.replace_any && !is_own_file(claim.target, options)) {
        return refuse("already exists and is not a file bkcheck wrote; it is kept: " +
                      overwrite_hint(options));
    }
    claim.existing = detail::identity_of_handle(existing.get());
    if (!claim.existing) return detail::error_from_win32(::GetLastError(), path, "cannot look at");
    return claim;
}

// Gives the written temporary the claimed name: never replacing when nothing was there, and
// otherwise only the very file that was checked.
Status install(const Claim& claim, const std::wstring& temporary, const fs::path& path,
               const OutputFileOptions& options)
{
    if (!claim.existing) {
        if (::MoveFileExW(temporary.c_str(), claim.target.c_str(), MOVEFILE_WRITE_THROUGH))
            return Ok{};
        DWORD error = ::GetLastError();
        if (error == ERROR_ALREADY_EXISTS || error == ERROR_FILE_EXISTS) {
            return make_error(
                ErrorCode::InvalidArgument, path_text(path),
                "appeared while bkcheck was writing it; it is kept: " + overwrite_hint(options));
        }
        return detail::error_from_win32(error, path, "cannot give the file its name");
    }
    Handle now = detail::open_entry(claim.target, FILE_READ_ATTRIBUTES);
    detail::EntryKind kind = now.valid() ? detail::kind_of_handle(now.get()) : detail::EntryKind{};
    if (!now.valid() || !kind.ok || kind.reparse_point || kind.directory ||
        detail::identity_of_handle(now.get()) != claim.existing) {
        return make_error(ErrorCode::InvalidArgument, path_text(path),
                          "was replaced by something else while bkcheck was writing it; it is "
                          "kept: run again");
    }
    now.reset();
    if (!::MoveFileExW(temporary.c_str(), claim.target.c_str(),
                       MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
        return detail::error_from_win32(::GetLastError(), path, "cannot give the file its name");
    return Ok{};
}

}  // namespace

Status detail::write_output_file_win32(const fs::path& path, ByteView bytes,
                                       const OutputFileOptions& options)
{
    auto claim = claim_output_path(path, options);
    if (!claim) return std::move(claim).error();
    std::wstring temporary = detail::append_component(
        claim->folder.path, detail::temporary_name_for(path_text(path.filename())));
    Handle file = detail::create_new_file(temporary, options.access == FileAccess::OwnerOnly);
    if (!file.valid())
        return detail::error_from_win32(::GetLastError(), path,
                                        "cannot create a temporary file beside it");
    DWORD error = detail::write_and_flush(file.get(), bytes);
    file.reset();
    Status done = error == 0 ? install(*claim, temporary, path, options)
                             : Status(detail::error_from_win32(error, path, "cannot write"));
    if (!done) {
        ::DeleteFileW(temporary.c_str());
        return done;
    }
    if (DWORD flushed = detail::flush_folder(claim->folder.path); flushed != 0)
        return detail::error_from_win32(flushed, path, "cannot sync the folder of");
    return Ok{};
}

Status check_output_file(const fs::path& path, const OutputFileOptions& options)
{
    auto claim = claim_output_path(path, options);
    if (!claim) return std::move(claim).error();
    return Ok{};
}

}  // namespace bkcheck
