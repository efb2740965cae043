// Field-by-field equality of FileRecords, for the round-trip invariants of the fuzz targets: every
// field, so a writer that drops or mangles one is caught, not only the ones verify reads.
#pragma once

#include "bkcheck/manifest.h"

#include <tuple>
#include <vector>

namespace bkcheck::fuzz {

inline auto fields_of(const FileRecord& r)
{
    return std::tie(r.file_id, r.domain, r.relative_path, r.kind, r.flags, r.mode, r.inode,
                    r.user_id, r.group_id, r.modified, r.status_changed, r.born, r.size,
                    r.protection_class, r.bsd_flags, r.digest, r.encryption_key, r.target,
                    r.extended_attributes);
}

inline bool same_records(const std::vector<FileRecord>& a, const std::vector<FileRecord>& b)
{
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (fields_of(a[i]) != fields_of(b[i])) return false;
    }
    return true;
}

}  // namespace bkcheck::fuzz
