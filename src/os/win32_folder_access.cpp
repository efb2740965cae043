#include "win32_folder_access.h"

#include "win32_path.h"

#include <cstdint>
#include <optional>
#include <vector>

#include <windows.h>

namespace bkcheck::detail {
namespace {

// Asked of the folder's handle, for the file system's flags only (GetVolumeInformationW also reads
// the volume's label and serial, which Wine cannot give for its Z: drive and says so on stderr).
bool on_read_only_volume(const std::wstring& folder)
{
    Handle handle(::CreateFileW(folder.c_str(), FILE_READ_ATTRIBUTES,
                                FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                                OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, nullptr));
    if (!handle.valid()) return false;
    DWORD flags = 0;
    if (!::GetVolumeInformationByHandleW(handle.get(), nullptr, 0, nullptr, nullptr, &flags,
                                         nullptr, 0))
        return false;
    return (flags & FILE_READ_ONLY_VOLUME) != 0;
}

std::vector<std::uint8_t> security_of(const std::wstring& folder)
{
    constexpr SECURITY_INFORMATION k_wanted =
        OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION;
    DWORD needed = 0;
    ::GetFileSecurityW(folder.c_str(), k_wanted, nullptr, 0, &needed);
    if (needed == 0) return {};
    std::vector<std::uint8_t> buffer(needed);
    if (!::GetFileSecurityW(folder.c_str(), k_wanted, buffer.data(), needed, &needed)) return {};
    return buffer;
}

std::string account_name(PSID sid)
{
    wchar_t name[256];
    wchar_t domain[256];
    DWORD name_size = 256;
    DWORD domain_size = 256;
    SID_NAME_USE use{};
    if (!::LookupAccountSidW(nullptr, sid, name, &name_size, domain, &domain_size, &use)) return {};
    return utf8_from_utf16(std::wstring_view(name, name_size));
}

// Adding a file or a folder is what a move into the folder needs (prune and repair move entries
// into the quarantine and back); nullopt when Windows cannot answer.
std::optional<bool> may_add_entries(PSECURITY_DESCRIPTOR security)
{
    HANDLE process_token = nullptr;
    if (!::OpenProcessToken(::GetCurrentProcess(), TOKEN_QUERY | TOKEN_DUPLICATE, &process_token))
        return std::nullopt;
    Handle owned_process_token(process_token);
    HANDLE token = nullptr;
    if (!::DuplicateToken(process_token, SecurityImpersonation, &token)) return std::nullopt;
    Handle owned_token(token);
    GENERIC_MAPPING mapping{FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE,
                            FILE_ALL_ACCESS};
    DWORD desired = FILE_ADD_FILE | FILE_ADD_SUBDIRECTORY;
    ::MapGenericMask(&desired, &mapping);
    PRIVILEGE_SET privileges{};
    DWORD privileges_size = sizeof(privileges);
    DWORD granted = 0;
    BOOL allowed = FALSE;
    if (!::AccessCheck(security, token, desired, &mapping, &privileges, &privileges_size, &granted,
                       &allowed))
        return std::nullopt;
    return allowed != FALSE;
}

}  // namespace

FolderAccess folder_access_of(const std::wstring& folder)
{
    FolderAccess access;
    if (on_read_only_volume(folder)) {
        access.may_change = false;
        access.read_only_volume = true;
        return access;
    }
    std::vector<std::uint8_t> security = security_of(folder);
    if (security.empty()) return access;
    PSID owner = nullptr;
    BOOL defaulted = FALSE;
    if (::GetSecurityDescriptorOwner(security.data(), &owner, &defaulted) && owner != nullptr)
        access.owner = account_name(owner);
    if (auto allowed = may_add_entries(security.data()); allowed && !*allowed)
        access.may_change = false;
    return access;
}

}  // namespace bkcheck::detail
