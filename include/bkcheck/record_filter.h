// Which records ls, usage and extract act on: --domain, --path and --file-id, shared so the three
// verbs select the same records for the same options.
#pragma once

#include "bkcheck/manifest.h"

#include <string>

namespace bkcheck {

struct RecordFilter {
    std::string domain;     // glob (fnmatch) on the domain, e.g. "AppDomain-*"; empty: any
    std::string path_glob;  // glob on relativePath; "*" also matches "/"; empty: any
    std::string file_id;    // exact fileID; empty: any

    bool matches(const FileRecord& record) const;
};

}  // namespace bkcheck
