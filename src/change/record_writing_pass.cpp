#include "record_writing_pass.h"
#include "bkcheck/path_text.h"

namespace bkcheck::detail {

Status run_record_writing_pass(const RecordSource& records, const RecordWritingPass& pass,
                               Progress& progress)
{
    Status stopped = Ok{};
    auto wants_more = [&]() {
        if (stopped && pass.cancel != nullptr && pass.cancel->load()) {
            stopped =
                make_error(ErrorCode::Interrupted, path_text(pass.backup_path), "interrupted");
        }
        return static_cast<bool>(stopped);
    };
    std::uint64_t total = 0;
    RecordVisitor sizes;
    sizes.record = [&](FileRecord&& record) {
        if (record.kind == FileKind::File && pass.selects(record)) total += record.size;
    };
    sizes.wants_more = wants_more;
    if (pass.total_for_progress) {
        BK_TRY(records.for_each(sizes));
        BK_TRY(stopped);
    }
    progress.start(pass.phase, total);
    RecordVisitor writes;
    writes.record = [&](FileRecord&& record) {
        if (pass.selects(record)) stopped = pass.write(std::move(record));
    };
    writes.unreadable = [&](const UnreadableRecord&) {
        if (pass.unreadable_rows != nullptr) ++*pass.unreadable_rows;
    };
    writes.wants_more = wants_more;
    Status read = records.for_each(writes);
    progress.finish();
    BK_TRY(stopped);
    return read;
}

}  // namespace bkcheck::detail
