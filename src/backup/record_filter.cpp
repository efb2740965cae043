#include "bkcheck/backup_index.h"

#include "glob_match.h"

namespace bkcheck {

bool RecordFilter::matches(const FileRecord& record) const
{
    if (!file_id.empty() && record.file_id != file_id) return false;
    if (!domain.empty() && !glob_matches(domain, record.domain)) return false;
    if (!path_glob.empty() && !glob_matches(path_glob, record.relative_path)) return false;
    return true;
}

}  // namespace bkcheck
