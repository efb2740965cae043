#include "bkcheck/backup_index.h"

#include <fnmatch.h>

namespace bkcheck {

bool RecordFilter::matches(const FileRecord& record) const
{
    if (!file_id.empty() && record.file_id != file_id) return false;
    // A path with a NUL would be cut short by fnmatch: it can only match the match-all filters.
    if (!domain.empty() && ::fnmatch(domain.c_str(), record.domain.c_str(), 0) != 0) return false;
    if (!path_glob.empty() && ::fnmatch(path_glob.c_str(), record.relative_path.c_str(), 0) != 0)
        return false;
    return true;
}

}  // namespace bkcheck
