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

void FilterTally::note(const RecordFilter& filter, const FileRecord& record)
{
    // Each part is matched only until some record matched it: a million records cost little more.
    if (!domain && !filter.domain.empty()) domain = glob_matches(filter.domain, record.domain);
    if (!path && !filter.path_glob.empty())
        path = glob_matches(filter.path_glob, record.relative_path);
    if (!file_id && !filter.file_id.empty()) file_id = record.file_id == filter.file_id;
}

}  // namespace bkcheck
