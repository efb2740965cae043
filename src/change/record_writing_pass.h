// How extract and export go over a backup's records: an optional first pass totalling the sizes for
// the progress display, then the pass that writes each record. Neither keeps the records. The first
// error of a write, or Ctrl-C, ends the reading of the index at once. Private to the library.
#pragma once

#include "bkcheck/backup_index.h"
#include "bkcheck/status.h"

#include <atomic>
#include <functional>
#include <string_view>

namespace bkcheck::detail {

struct RecordWritingPass {
    std::string_view phase;                     // the progress display's name for it
    const std::atomic<bool>* cancel = nullptr;  // Ctrl-C: an Interrupted error naming `backup_path`
    fs::path backup_path;
    bool total_for_progress = false;  // make the first pass (only worth it when shown)
    std::function<bool(const FileRecord&)> selects;  // the records to write (and to total)
    std::function<Status(FileRecord&&)> write;       // writes one selected record
    std::uint64_t* unreadable_rows = nullptr;        // counts rows that do not decode
};

// The first error of either pass (a write's, the index's, Interrupted), or Ok.
Status run_record_writing_pass(const RecordSource& records, const RecordWritingPass& pass,
                               Progress& progress);

}  // namespace bkcheck::detail
