// A fileID as the 20 bytes it spells (format.md §1.4), for checks that compare many of them: a
// digest compared with the parsed fileID needs no hex string per row (file_id_for makes one).
#pragma once

#include "crypto.h"

#include <string_view>

namespace bkcheck {

// The SHA-1 of "<domain>-<relativePath>": what the record's fileID must spell in lowercase hex.
Sha1Digest file_id_digest(std::string_view domain, std::string_view relative_path);

}  // namespace bkcheck
