// Whether this process may add entries to a folder, as Windows itself decides it: the volume's
// read-only flag, then AccessCheck of this process's token against the folder's security descriptor
// (groups, deny entries and inherited entries all count, as they do when the move is made). What
// cannot be asked (no security descriptor, as on FAT) is not refused here: the apply that follows
// says what the disk refused and rolls back.
#pragma once

#include "bkcheck/file_system.h"

#include <string>

namespace bkcheck::detail {

// `folder` in the long form of long_path().
FolderAccess folder_access_of(const std::wstring& folder);

}  // namespace bkcheck::detail
