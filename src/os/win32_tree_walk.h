// How the Windows OS layer keeps a change inside one folder (the POSIX layer's openat walk, for
// Windows). Each folder on the way from the root is opened with FILE_FLAG_OPEN_REPARSE_POINT,
// checked to be a real folder (no reparse point: no symlink, no junction), and held open without
// FILE_SHARE_DELETE until the operation is done: while held, no other process can rename, delete or
// replace it, so the long path built from the names walked names exactly the folders checked. The
// root is resolved once (GetFinalPathNameByHandleW) and held the same way for the tree's lifetime.
#pragma once

#include "bkcheck/status.h"
#include "win32_path.h"

#include <string>
#include <vector>

namespace bkcheck::detail {

// Share modes of a held folder: others may read and write inside it, not move or delete it.
constexpr DWORD k_share_pinned = FILE_SHARE_READ | FILE_SHARE_WRITE;
constexpr DWORD k_share_all = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;

// A folder reached by a walk: its long path, and the handles that keep it and its parents in place.
struct HeldFolder {
    std::wstring path;
    std::vector<Handle> held;
};

// Why a walk stopped, as an errno (ELOOP: a reparse point; ENOTDIR: a file; else the Win32 error's
// errno) plus the Win32 code for words when there is one.
struct WalkFailure {
    int errno_value = 0;
    DWORD win32 = 0;
    std::size_t depth = 0;  // how many components were reached before it
};

// Opens `path` (a folder, following links: the user chose it) and holds it.
Result<HeldFolder> hold_root(const fs::path& path);

// Walks `components` below `root` (whose path is the long form), creating missing folders when
// `create`.
struct WalkResult {
    HeldFolder folder;
    WalkFailure failure;
    bool ok() const { return failure.errno_value == 0; }
};
WalkResult walk_folders(const std::wstring& root, const std::vector<std::string>& components,
                        std::size_t count, bool create);

// Opens the entry `path` itself (never following a reparse point) with `access`, shared fully.
Handle open_entry(const std::wstring& path, DWORD access);

// Whether the entry `path` is there at all (a reparse point counts; it is not followed).
bool entry_exists(const std::wstring& path);

// A fresh temporary name beside `name`: ".<name>.bkcheck-<pid>-<random>".
std::string temporary_name_for(const std::string& name);

// Creates `path` exclusively (CREATE_NEW, never an existing file or link) for writing; with
// `owner_only`, its ACL gives access to its owner alone from the first byte
// (FileAccess::OwnerOnly).
Handle create_new_file(const std::wstring& path, bool owner_only);

// Writes all of `bytes` and flushes them to the disk (FlushFileBuffers): 0 or a Win32 error.
DWORD write_and_flush(HANDLE file, ByteView bytes);

// Flushes a folder's entries. Windows renames with MOVEFILE_WRITE_THROUGH are durable on return;
// a folder flush is asked for on top, and a file system that refuses it (FAT, network) is not an
// error. 0 or a Win32 error.
DWORD flush_folder(const std::wstring& path);

}  // namespace bkcheck::detail
