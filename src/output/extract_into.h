// extract_backup into an OutputTree the caller opened: how tests extract into an in-memory disk
// that folds case and Unicode form (tests/support/folding_output_tree.h).
#pragma once

#include "bkcheck/extract.h"

#include "output_path.h"

namespace bkcheck {

// As extract_backup, without its checks on the OUT path (the caller's tree is OUT).
Result<ExtractSummary> extract_into(OutputTree& out, const FileSystem& file_system,
                                    const Backup& backup, const RecordSource& records,
                                    const ExtractOptions& options, FindingSink& sink);

}  // namespace bkcheck
