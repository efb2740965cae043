// What a Windows handle is, asked of the handle itself (never of a name someone could change
// meanwhile): whether it is a link, where a link points, its final path, its identity.
#pragma once

#include "bkcheck/file_system.h"

#include <optional>
#include <string>

#include <windows.h>

namespace bkcheck::detail {

// A reparse point bkcheck treats as a link: a symbolic link or a junction (mount point). Others
// (cloud placeholders, deduplicated files) are files or folders with their bytes kept elsewhere.
bool is_link_tag(DWORD reparse_tag);

// The target of the link `entry` (opened with FILE_FLAG_OPEN_REPARSE_POINT), UTF-8, as stored
// (relative or absolute, without the "\??\" of an NT path); nullopt when it is not a link.
std::optional<std::string> read_link_target(HANDLE entry);

// GetFinalPathNameByHandleW: the path the OS has for the open entry, in long form ("\\?\C:\..."),
// every link resolved; nullopt (GetLastError set) when it cannot tell.
std::optional<std::wstring> final_path_of(HANDLE entry);

// The entry's identity, kept by a rename: the volume serial number and the 128-bit file id
// (GetFileInformationByHandleEx(FileIdInfo); ReFS ids do not fit 64 bits), or the 64-bit file
// index where a file system has no FileIdInfo (FAT, some network shares). nullopt on failure.
std::optional<EntryIdentity> identity_of_handle(HANDLE entry);

// Whether the open entry is a reparse point of any kind (FILE_ATTRIBUTE_REPARSE_POINT) and a
// folder; false with `ok` false when it cannot be asked.
struct EntryKind {
    bool ok = false;
    bool reparse_point = false;
    bool directory = false;
};
EntryKind kind_of_handle(HANDLE entry);

}  // namespace bkcheck::detail
