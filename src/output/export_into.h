// export_backup into an OutputTree the caller opened: how tests export into an in-memory disk that
// folds case and Unicode form (tests/support/folding_output_tree.h).
#pragma once

#include "bkcheck/export_backup.h"

#include "output_path.h"

namespace bkcheck {

// As export_backup once its checks have passed and OUT is open as `tree`; `out` only names what
// was written (ExportSummary::folder, messages).
Result<ExportSummary> export_into(OutputTree& tree, const fs::path& out,
                                  const FileSystem& file_system, const Backup& backup,
                                  const RecordSource& records, const ExportOptions& options,
                                  FindingSink& sink);

}  // namespace bkcheck
