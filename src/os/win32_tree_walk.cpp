#include "win32_tree_walk.h"

#include "bytes.h"
#include "win32_reparse.h"

#include <array>
#include <cerrno>
#include <random>
#include <vector>

#include <sddl.h>

namespace bkcheck::detail {
namespace {

constexpr DWORD k_folder_access = FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES | SYNCHRONIZE;

// Opens folder `path` itself and holds it; ELOOP when it is a reparse point, ENOTDIR when not a
// folder.
WalkFailure hold_folder(const std::wstring& path, DWORD flags, Handle& out)
{
    Handle folder(::CreateFileW(path.c_str(), k_folder_access, k_share_pinned, nullptr,
                                OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | flags, nullptr));
    if (!folder.valid()) {
        DWORD error = ::GetLastError();
        return {errno_from_win32(error), error, 0};
    }
    EntryKind kind = kind_of_handle(folder.get());
    if (!kind.ok) {
        DWORD error = ::GetLastError();
        return {errno_from_win32(error), error, 0};
    }
    if (kind.reparse_point && (flags & FILE_FLAG_OPEN_REPARSE_POINT) != 0) return {ELOOP, 0, 0};
    if (!kind.directory) return {ENOTDIR, 0, 0};
    // And the folder opened is the one named: its final path is the path walked. A link that the
    // handle does not show as a reparse point (Wine's links are Unix symlinks, which it follows
    // even with FILE_FLAG_OPEN_REPARSE_POINT; a short 8.3 alias) resolves elsewhere and is
    // refused the same way. Compared without case, as NTFS names are.
    if ((flags & FILE_FLAG_OPEN_REPARSE_POINT) != 0) {
        auto final_path = final_path_of(folder.get());
        DWORD error = final_path ? 0 : ::GetLastError();
        // Wine cannot give a final path longer than MAX_PATH (ERROR_MORE_DATA): the reparse
        // attribute above is then the one check. Windows answers up to 32767 units.
        if (!final_path && error != ERROR_MORE_DATA) return {errno_from_win32(error), error, 0};
        if (final_path &&
            ::CompareStringOrdinal(final_path->c_str(), static_cast<int>(final_path->size()),
                                   path.c_str(), static_cast<int>(path.size()), TRUE) != CSTR_EQUAL)
            return {ELOOP, 0, 0};
    }
    out = std::move(folder);
    return {};
}

}  // namespace

Result<HeldFolder> hold_root(const fs::path& path)
{
    Handle root;
    WalkFailure failure = hold_folder(long_path(path), 0, root);
    if (failure.errno_value != 0) {
        return failure.win32 != 0
                   ? error_from_win32(failure.win32, path, "cannot open folder")
                   : error_from_errno(failure.errno_value, path, "cannot open folder");
    }
    auto final_path = final_path_of(root.get());
    if (!final_path) return error_from_win32(::GetLastError(), path, "cannot open folder");
    HeldFolder held{*final_path, {}};
    held.held.push_back(std::move(root));
    return held;
}

WalkResult walk_folders(const std::wstring& root, const std::vector<std::string>& components,
                        std::size_t count, bool create)
{
    WalkResult result;
    result.folder.path = root;
    for (std::size_t i = 0; i < count && i < components.size(); ++i) {
        std::wstring next = append_component(result.folder.path, components[i]);
        Handle folder;
        WalkFailure failure = hold_folder(next, FILE_FLAG_OPEN_REPARSE_POINT, folder);
        if (failure.errno_value == ENOENT && create) {
            if (!::CreateDirectoryW(next.c_str(), nullptr)) {
                DWORD error = ::GetLastError();
                // Not there to open, yet there to create: a dangling link (or a race). Refused.
                result.failure = error == ERROR_ALREADY_EXISTS
                                     ? WalkFailure{ELOOP, 0, i}
                                     : WalkFailure{errno_from_win32(error), error, i};
                return result;
            }
            failure = hold_folder(next, FILE_FLAG_OPEN_REPARSE_POINT, folder);
        }
        if (failure.errno_value != 0) {
            failure.depth = i;
            result.failure = failure;
            return result;
        }
        result.folder.held.push_back(std::move(folder));
        result.folder.path = std::move(next);
    }
    return result;
}

Handle open_entry(const std::wstring& path, DWORD access)
{
    return Handle(::CreateFileW(path.c_str(), access, k_share_all, nullptr, OPEN_EXISTING,
                                FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT,
                                nullptr));
}

bool entry_exists(const std::wstring& path)
{
    return ::GetFileAttributesW(path.c_str()) != INVALID_FILE_ATTRIBUTES;
}

std::string temporary_name_for(const std::string& name)
{
    static thread_local std::mt19937_64 random{std::random_device{}()};
    std::array<std::uint8_t, 8> suffix{};
    std::uint64_t value = random();
    for (auto& byte : suffix) {
        byte = static_cast<std::uint8_t>(value);
        value >>= 8;
    }
    std::string stem = ".";
    stem += name.substr(0, 160);
    stem += ".bkcheck-" + std::to_string(::GetCurrentProcessId()) + "-";
    return stem + to_hex(ByteView(suffix.data(), suffix.size()));
}

namespace {

// "D:P(A;;FA;;;<this user's SID>)": a protected ACL (nothing inherited from the folder) with full
// access for the user running bkcheck and nobody else. Empty when the SID cannot be had.
std::wstring owner_only_sddl()
{
    HANDLE raw_token = nullptr;
    if (!::OpenProcessToken(::GetCurrentProcess(), TOKEN_QUERY, &raw_token)) return {};
    Handle token(raw_token);
    DWORD size = 0;
    ::GetTokenInformation(token.get(), TokenUser, nullptr, 0, &size);
    std::vector<std::uint8_t> buffer(size);
    if (size == 0 || !::GetTokenInformation(token.get(), TokenUser, buffer.data(), size, &size))
        return {};
    wchar_t* sid = nullptr;
    if (!::ConvertSidToStringSidW(reinterpret_cast<TOKEN_USER*>(buffer.data())->User.Sid, &sid))
        return {};
    std::wstring sddl = L"D:P(A;;FA;;;" + std::wstring(sid) + L")";
    ::LocalFree(sid);
    return sddl;
}

}  // namespace

Handle create_new_file(const std::wstring& path, bool owner_only)
{
    SECURITY_ATTRIBUTES attributes{sizeof(SECURITY_ATTRIBUTES), nullptr, FALSE};
    PSECURITY_DESCRIPTOR descriptor = nullptr;
    // Owner only from the first byte: a key is never readable by others, not even for the moment
    // between creation and a later change of its ACL. Without the ACL, nothing is written.
    if (owner_only) {
        std::wstring sddl = owner_only_sddl();
        if (sddl.empty() || !::ConvertStringSecurityDescriptorToSecurityDescriptorW(
                                sddl.c_str(), SDDL_REVISION_1, &descriptor, nullptr)) {
            ::SetLastError(ERROR_ACCESS_DENIED);
            return Handle();
        }
        attributes.lpSecurityDescriptor = descriptor;
    }
    Handle file(::CreateFileW(path.c_str(), GENERIC_WRITE | DELETE, 0,
                              owner_only ? &attributes : nullptr, CREATE_NEW,
                              FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, nullptr));
    DWORD error = ::GetLastError();
    if (descriptor != nullptr) ::LocalFree(descriptor);
    ::SetLastError(error);
    return file;
}

DWORD write_and_flush(HANDLE file, ByteView bytes)
{
    while (!bytes.empty()) {
        DWORD chunk = static_cast<DWORD>(std::min<std::size_t>(bytes.size(), 1u << 30));
        DWORD written = 0;
        if (!::WriteFile(file, bytes.data(), chunk, &written, nullptr)) return ::GetLastError();
        bytes = bytes.subspan(written);
    }
    if (!::FlushFileBuffers(file)) return ::GetLastError();
    return 0;
}

DWORD flush_folder(const std::wstring& path)
{
    Handle folder(::CreateFileW(
        path.c_str(), GENERIC_READ | GENERIC_WRITE, k_share_all, nullptr, OPEN_EXISTING,
        FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, nullptr));
    if (!folder.valid()) {
        DWORD error = ::GetLastError();
        return error == ERROR_ACCESS_DENIED ? 0 : error;
    }
    if (::FlushFileBuffers(folder.get())) return 0;
    DWORD error = ::GetLastError();
    bool refused = error == ERROR_ACCESS_DENIED || error == ERROR_INVALID_FUNCTION ||
                   error == ERROR_INVALID_PARAMETER || error == ERROR_NOT_SUPPORTED;
    return refused ? 0 : error;
}

}  // namespace bkcheck::detail
