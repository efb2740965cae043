#include "win32_reparse.h"

#include "win32_path.h"

#include <cstring>
#include <vector>

#include <winioctl.h>

namespace bkcheck::detail {
namespace {

// REPARSE_DATA_BUFFER's header and the two layouts bkcheck reads (ntifs.h, which user-mode
// headers do not carry). Offsets and lengths are in bytes into PathBuffer.
struct ReparseHeader {
    DWORD tag;
    WORD data_length;
    WORD reserved;
};
struct LinkNames {
    WORD substitute_offset;
    WORD substitute_length;
    WORD print_offset;
    WORD print_length;
};
constexpr DWORD k_symlink_flag_relative = 1;

std::wstring name_at(const std::uint8_t* names, WORD offset, WORD length, const std::uint8_t* end)
{
    if (names + offset + length > end) return {};
    std::wstring text(length / sizeof(wchar_t), L'\0');
    std::memcpy(text.data(), names + offset, text.size() * sizeof(wchar_t));
    return text;
}

}  // namespace

bool is_link_tag(DWORD reparse_tag)
{
    return reparse_tag == IO_REPARSE_TAG_SYMLINK || reparse_tag == IO_REPARSE_TAG_MOUNT_POINT;
}

std::optional<std::string> read_link_target(HANDLE entry)
{
    std::vector<std::uint8_t> buffer(MAXIMUM_REPARSE_DATA_BUFFER_SIZE);
    DWORD got = 0;
    if (!::DeviceIoControl(entry, FSCTL_GET_REPARSE_POINT, nullptr, 0, buffer.data(),
                           static_cast<DWORD>(buffer.size()), &got, nullptr) ||
        got < sizeof(ReparseHeader) + sizeof(LinkNames))
        return std::nullopt;
    ReparseHeader header{};
    std::memcpy(&header, buffer.data(), sizeof header);
    if (!is_link_tag(header.tag)) return std::nullopt;
    LinkNames names{};
    std::memcpy(&names, buffer.data() + sizeof header, sizeof names);
    // A symlink has a Flags field after the four lengths; a junction has not.
    std::size_t names_start = sizeof header + sizeof names;
    DWORD flags = 0;
    if (header.tag == IO_REPARSE_TAG_SYMLINK) {
        if (got < names_start + sizeof flags) return std::nullopt;
        std::memcpy(&flags, buffer.data() + names_start, sizeof flags);
        names_start += sizeof flags;
    }
    const std::uint8_t* start = buffer.data() + names_start;
    const std::uint8_t* end = buffer.data() + got;
    std::wstring target = name_at(start, names.print_offset, names.print_length, end);
    if (target.empty()) {
        target = name_at(start, names.substitute_offset, names.substitute_length, end);
        if (target.starts_with(L"\\??\\")) target = target.substr(4);
    }
    (void)(flags & k_symlink_flag_relative);  // a relative target is returned as stored
    return utf8_from_utf16(target);
}

std::optional<std::wstring> final_path_of(HANDLE entry)
{
    // The longest path Windows has (32767 units): one call, whatever the depth (Wine answers a
    // short buffer with ERROR_MORE_DATA rather than the length it needs).
    std::wstring path(32768, L'\0');
    DWORD length = ::GetFinalPathNameByHandleW(entry, path.data(), static_cast<DWORD>(path.size()),
                                               FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
    if (length == 0 || length >= path.size()) return std::nullopt;
    path.resize(length);
    return path;
}

std::optional<EntryIdentity> identity_of_handle(HANDLE entry)
{
    FILE_ID_INFO id{};
    if (::GetFileInformationByHandleEx(entry, FileIdInfo, &id, sizeof id)) {
        std::uint64_t low = 0;
        std::uint64_t high = 0;
        std::memcpy(&low, id.FileId.Identifier, sizeof low);
        std::memcpy(&high, id.FileId.Identifier + sizeof low, sizeof high);
        if (low != 0 || high != 0) return EntryIdentity{id.VolumeSerialNumber, low, high};
    }
    BY_HANDLE_FILE_INFORMATION info{};
    if (!::GetFileInformationByHandle(entry, &info)) return std::nullopt;
    return EntryIdentity{
        info.dwVolumeSerialNumber,
        (static_cast<std::uint64_t>(info.nFileIndexHigh) << 32) | info.nFileIndexLow, 0};
}

EntryKind kind_of_handle(HANDLE entry)
{
    FILE_ATTRIBUTE_TAG_INFO info{};
    if (!::GetFileInformationByHandleEx(entry, FileAttributeTagInfo, &info, sizeof info)) return {};
    return {true, (info.FileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0,
            (info.FileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0};
}

}  // namespace bkcheck::detail
