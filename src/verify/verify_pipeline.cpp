// The index and blob steps of verify as one pipeline: the calling thread streams the index (SQLite
// steps are serial) into batches of rows; a bounded pool of workers decodes each row's MBFile,
// checks the record and then its blob. Batches are recycled, so memory is bounded by the batches in
// flight (a few MB) rather than by the index (a million rows would otherwise be ~700 MB of
// FileRecords), and the row buffers keep their capacity from batch to batch.
#include "bkcheck/findings.h"
#include "bkcheck/path_text.h"
#include "blob_id_set.h"
#include "manifest_db.h"
#include "text.h"
#include "verify_steps.h"
#include "worker_threads.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <limits>
#include <mutex>
#include <thread>

namespace bkcheck::detail {
namespace {

// Rows per batch: many for structural checks (a queue operation per row would cost more than the
// check), few when every row means reading a blob, so no worker sits idle while another still has a
// batch of large files to read at the end.
constexpr std::size_t k_rows_per_batch = 256;
constexpr std::size_t k_rows_per_batch_reading = 4;
// --read-data queues rows in windows of this many, each in the order its blobs sit on disk (inode
// numbers from the folder listing): a cold read of many small files then moves across the disk
// once per window instead of back and forth (index order is unrelated to where files are). About
// 2 KB a row waits here: 8 MB more peak RSS (measured, docs/measurements/issue27-speed.md).
constexpr std::size_t k_read_window_rows = 4096;

// One index row on its way to a worker: still encoded (Manifest.db) or already decoded (mbdb).
struct PendingRow {
    ManifestRow row;
    FileRecord record;  // filled by the reader for mbdb, by the worker for Manifest.db
    bool decoded = false;
    bool duplicate = false;                                      // from claim()
    std::optional<BlobId> id;                                    // the fileID, when well-formed
    std::optional<std::pair<std::size_t, std::size_t>> entries;  // in the BlobTree, from claim()
};

struct Batch {
    explicit Batch(std::size_t capacity) : rows(capacity) {}
    std::vector<PendingRow> rows;
    std::size_t size = 0;
};

// Batches move reader -> workers through `ready` and back through `free`; the limit on the number
// of batches is what bounds memory (and makes the reader wait when the workers fall behind).
// Batches are made when first needed, so a small backup, which fills one, allocates one.
class BatchQueue {
public:
    BatchQueue(std::size_t batch_limit, std::size_t rows_per_batch)
        : m_batch_limit(batch_limit), m_rows_per_batch(rows_per_batch)
    {
    }

    std::size_t rows_per_batch() const { return m_rows_per_batch; }

    Batch* take_free()
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return !m_free.empty() || m_batches.size() < m_batch_limit; });
        if (m_free.empty()) return &m_batches.emplace_back(m_rows_per_batch);
        Batch* batch = m_free.front();
        m_free.pop_front();
        batch->size = 0;
        return batch;
    }

    void give_free(Batch* batch)
    {
        std::lock_guard lock(m_mutex);
        m_free.push_back(batch);
        m_changed.notify_all();
    }

    void push_ready(Batch* batch)
    {
        std::lock_guard lock(m_mutex);
        m_ready.push_back(batch);
        m_changed.notify_all();
    }

    // The next filled batch; nullptr once the reader closed the queue and all were taken.
    Batch* take_ready()
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return !m_ready.empty() || m_closed; });
        if (m_ready.empty()) return nullptr;
        Batch* batch = m_ready.front();
        m_ready.pop_front();
        return batch;
    }

    void close()
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_changed.notify_all();
    }

private:
    const std::size_t m_batch_limit;
    const std::size_t m_rows_per_batch;
    std::deque<Batch> m_batches;  // a deque, so a batch stays where it is as more are made
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Batch*> m_free;
    std::deque<Batch*> m_ready;
    bool m_closed = false;
};

class Pipeline {
public:
    Pipeline(const Backup& backup, const VerifyOptions& options, BlobTree& tree,
             BlobChecker& checker, FindingSink& sink, unsigned workers)
        : m_backup(backup),
          m_options(options),
          m_tree(tree),
          m_checker(checker),
          m_sink(sink),
          m_queue(2 * static_cast<std::size_t>(workers) + 2,
                  options.read_data ? k_rows_per_batch_reading : k_rows_per_batch),
          m_in_disk_order(options.read_data && !tree.inodes.empty()),
          m_counts(workers)
    {
        for (unsigned i = 0; i < workers; ++i) m_sinks.emplace_back(sink.max_per_code());
    }

    bool cancelled() const
    {
        return m_options.cancel != nullptr && m_options.cancel->load(std::memory_order_relaxed);
    }

    // Reader side, on the calling thread: queues the row, whose fileID is claimed (duplicates,
    // orphans) in row order just before its batch or window is handed on.
    template <typename Fill>
    bool add(std::string_view file_id, Fill&& fill)
    {
        if (cancelled()) return false;
        if (m_in_disk_order) {
            if (m_window.size() == m_window_size) m_window.emplace_back();
            PendingRow& pending = m_window[m_window_size++];
            prepare_claim(file_id, pending);
            fill(pending);
            ++m_records;
            if (m_window_size == k_read_window_rows) flush_window();
            return true;
        }
        if (m_filling == nullptr) m_filling = m_queue.take_free();
        PendingRow& pending = m_filling->rows[m_filling->size++];
        prepare_claim(file_id, pending);
        fill(pending);  // after: `fill` may take the buffer `file_id` views
        ++m_records;
        if (m_filling->size == m_queue.rows_per_batch()) flush();
        return true;
    }

    // A row that cannot be decoded still names its blob, so that blob is no orphan.
    void add_unreadable(const UnreadableRecord& bad)
    {
        claim_pending();  // the rows before it first: claims stay in row order
        claim(parse_blob_id(bad.file_id));
        ++m_records;
        m_sink.add(make_finding(finding_code::record_unreadable,
                                "the index entry cannot be decoded: " + bad.reason, bad.file_id,
                                bad.domain, bad.relative_path));
        record_unreadable(bad.file_id, bad.domain, bad.relative_path);
    }

    // The index holds `rows` rows (a hint, from its own count): those that name no blob go to
    // m_seen, so its table is made that size once, instead of growing through every doubling. A
    // damaged index may claim any count: the reservation stays within what a real one needs.
    void expect_rows(std::uint64_t rows)
    {
        // The largest index reported holds 873,010 rows; beyond this the table grows as rows come.
        static constexpr std::uint64_t k_max_reserved = 1'500'000;
        std::uint64_t without_blob =
            rows > m_tree.entries.size() ? rows - m_tree.entries.size() : 0;
        m_seen.reserve(static_cast<std::size_t>(std::min(without_blob, k_max_reserved)));
    }

    void finish_reading()
    {
        flush_window();
        flush();
        m_queue.close();
    }

    void work(unsigned worker)
    {
        auto buffers = std::make_unique<BlobChecker::Buffers>();
        FileRecord decoded;  // reused row after row: its strings keep their capacity
        VerifyCounts& counts = m_counts[worker];
        FindingSink& sink = m_sinks[worker];
        while (Batch* batch = m_queue.take_ready()) {
            for (std::size_t i = 0; i < batch->size && !cancelled(); ++i) {
                PendingRow& pending = batch->rows[i];
                if (!pending.decoded) {
                    Status status = decode_manifest_row(pending.row, decoded);
                    if (!status) {
                        sink.add(make_finding(
                            finding_code::record_unreadable,
                            "the index entry cannot be decoded: " + status.error().message,
                            pending.row.file_id, pending.row.domain, pending.row.relative_path));
                        record_unreadable(pending.row.file_id, pending.row.domain,
                                          pending.row.relative_path);
                        continue;
                    }
                }
                const FileRecord& record = pending.decoded ? pending.record : decoded;
                if (m_options.evidence != nullptr) {
                    check_with_evidence(record, pending, counts, *buffers, sink);
                    continue;
                }
                BlobJob job =
                    check_record(m_backup, record, pending.duplicate, m_options, sink, counts);
                job.entries = pending.entries;
                if (job.check) m_checker.check(record, job, *buffers, sink);
            }
            m_queue.give_free(batch);
        }
    }

    // Once the workers are done: what each found, into the verify's sink.
    void merge_findings()
    {
        for (FindingSink& sink : m_sinks) m_sink.merge(sink);
    }

    void add_counts(VerifyCounts& counts) const
    {
        counts.records += m_records;
        for (const VerifyCounts& worker : m_counts) {
            counts.files += worker.files;
            counts.directories += worker.directories;
            counts.symlinks += worker.symlinks;
            counts.levels.damaged += worker.levels.damaged;
        }
    }

private:
    // verify --report: the same checks, with the codes of the record's own findings caught on
    // their way to the sink and the blob's level and digests, into one evidence entry.
    void check_with_evidence(const FileRecord& record, const PendingRow& pending,
                             VerifyCounts& counts, BlobChecker::Buffers& buffers, FindingSink& sink)
    {
        EvidenceEntry entry;
        entry.file_id = record.file_id;
        entry.domain = record.domain;
        entry.path = record.relative_path;
        entry.kind = file_kind_name(record.kind);
        entry.size = record.size;
        FindingSink record_findings(std::numeric_limits<std::size_t>::max());
        BlobJob job =
            check_record(m_backup, record, pending.duplicate, m_options, record_findings, counts);
        bool record_damaged = record_findings.count(Severity::Error) != 0;
        for (Finding& finding : record_findings.kept()) {
            entry.codes.push_back(finding.code);
            sink.add(std::move(finding));
        }
        job.entries = pending.entries;
        if (job.check) {
            m_checker.check(record, job, buffers, sink, &entry);
            if (record_damaged) entry.level = "damaged";
        } else {
            entry.level = record_damaged ? "damaged" : "record";
        }
        m_options.evidence->add(std::move(entry));
    }

    void record_unreadable(const std::string& file_id, const std::string& domain,
                           const std::string& path)
    {
        if (m_options.evidence == nullptr) return;
        EvidenceEntry entry;
        entry.file_id = file_id;
        entry.domain = domain;
        entry.path = path;
        entry.kind = file_kind_name(FileKind::Unknown);
        entry.level = "damaged";
        entry.codes.emplace_back(finding_code::record_unreadable);
        m_options.evidence->add(std::move(entry));
    }

    void flush()
    {
        if (m_filling == nullptr) return;
        if (!m_in_disk_order) claim_pending();  // in disk order, the window claimed its rows
        m_queue.push_ready(m_filling);
        m_filling = nullptr;
        m_unclaimed = 0;
    }

    // Queues the window's rows by their blob's inode (rows with no blob first: nothing to read).
    // Rows are swapped into the batches, so their buffers keep circulating with their capacity.
    void flush_window()
    {
        if (!m_in_disk_order) return;
        claim_pending();
        m_unclaimed = 0;
        auto inode = [&](const PendingRow& pending) -> std::uint64_t {
            if (!pending.entries || pending.entries->first == pending.entries->second) return 0;
            return m_tree.inodes[pending.entries->first];
        };
        m_order.resize(m_window_size);
        for (std::size_t i = 0; i < m_window_size; ++i) m_order[i] = {inode(m_window[i]), i};
        std::sort(m_order.begin(), m_order.end());
        for (const auto& [unused, i] : m_order) {
            if (m_filling == nullptr) m_filling = m_queue.take_free();
            std::swap(m_filling->rows[m_filling->size++], m_window[i]);
            if (m_filling->size == m_queue.rows_per_batch()) flush();
        }
        m_window_size = 0;
    }

    // Parses the row's fileID and starts loading the table slots its claim will read. The claim
    // itself waits until the batch is full: by then the slots are in the cache, instead of one
    // cache miss per row (the row loop's largest cost) on the thread every row goes through.
    void prepare_claim(std::string_view file_id, PendingRow& pending)
    {
        pending.id = parse_blob_id(file_id);
        if (!pending.id) return;
        m_tree.prefetch(*pending.id);
        m_seen.prefetch(*pending.id);
    }

    // Claims the rows added since the last claim, in row order.
    void claim_pending()
    {
        std::vector<PendingRow>* rows = m_in_disk_order        ? &m_window
                                        : m_filling != nullptr ? &m_filling->rows
                                                               : nullptr;
        std::size_t size = m_in_disk_order        ? m_window_size
                           : m_filling != nullptr ? m_filling->size
                                                  : 0;
        for (; m_unclaimed < size; ++m_unclaimed) {
            PendingRow& pending = (*rows)[m_unclaimed];
            pending.duplicate = !claim(pending.id, &pending.entries);
        }
    }

    // Marks the blobs this fileID names; false when an earlier row had the same fileID. Only
    // well-formed fileIDs can name a blob, and only they are checked for duplicates (check_record
    // rejects the others before that).
    bool claim(const std::optional<BlobId>& id,
               std::optional<std::pair<std::size_t, std::size_t>>* entries = nullptr)
    {
        if (entries != nullptr) entries->reset();
        if (!id) return true;
        auto [first, last] = m_tree.find(*id);
        if (entries != nullptr) entries->emplace(first, last);
        // A blob's `named` flag already says whether an earlier row claimed it; only fileIDs with
        // no blob (normally none) need the set, which spares a million-row index a million node
        // allocations on this thread, the one every row goes through.
        if (first == last) return m_seen.insert(*id);
        bool earlier = m_tree.named[first] != 0;
        for (std::size_t i = first; i < last; ++i) m_tree.named[i] = 1;
        return !earlier;
    }

    const Backup& m_backup;
    const VerifyOptions& m_options;
    BlobTree& m_tree;
    BlobChecker& m_checker;
    FindingSink& m_sink;
    BatchQueue m_queue;
    Batch* m_filling = nullptr;
    std::size_t m_unclaimed = 0;       // the first row of m_filling (or m_window) not claimed yet
    const bool m_in_disk_order;        // --read-data with inode numbers: through m_window
    std::vector<PendingRow> m_window;  // rows waiting to be queued in disk order
    std::size_t m_window_size = 0;
    std::vector<std::pair<std::uint64_t, std::size_t>> m_order;  // (inode, row in the window)
    BlobIdSet m_seen;                                            // fileIDs that name no blob
    std::uint64_t m_records = 0;
    std::vector<VerifyCounts> m_counts;  // one per worker: no sharing in the hot loop
    // One per worker, merged into m_sink at the end: a lock per finding was 4 % of a verify whose
    // every row has one (all blobs gone), and the workers waited on each other for it.
    std::deque<FindingSink> m_sinks;
};

}  // namespace

Status check_index_and_blobs(const FileSystem& file_system, const Backup& backup,
                             const VerifyOptions& options, const ClassKeys* keys, BlobTree& tree,
                             FindingSink& sink, VerifyCounts& counts, Progress& progress,
                             bool& index_read)
{
    BlobChecker checker(file_system, backup, tree, keys, options.seal, options.cancel, progress);
    unsigned workers = worker_count(options.threads);
    Pipeline pipeline(backup, options, tree, checker, sink, workers);
    std::vector<std::thread> threads =
        start_workers(workers, [&pipeline](unsigned i) { pipeline.work(i); });
    if (threads.empty()) {
        // The reader would wait for ever for a worker to free a batch.
        return make_error(ErrorCode::Io, path_text(backup.path),
                          "verify cannot start a worker thread");
    }

    IndexVisitor visit;
    visit.row = [&](ManifestRow& row) {
        // Swapped, not copied: the reader's next row reuses this batch slot's old buffers (the
        // second copy of every row was 5 % of a structural verify, on the one thread all rows
        // pass).
        // add() claims the fileID before it calls this.
        return pipeline.add(row.file_id, [&](PendingRow& pending) {
            std::swap(pending.row, row);
            pending.decoded = false;
        });
    };
    visit.record = [&](FileRecord&& record) {
        std::string file_id = record.file_id;
        return pipeline.add(file_id, [&](PendingRow& pending) {
            pending.record = std::move(record);
            pending.decoded = true;
        });
    };
    visit.unreadable = [&](const UnreadableRecord& bad) { pipeline.add_unreadable(bad); };
    visit.expected_rows = [&](std::uint64_t rows) { pipeline.expect_rows(rows); };
    auto read = read_index(file_system, backup, options.manifest_db, keys, sink, visit);
    pipeline.finish_reading();
    for (std::thread& thread : threads) thread.join();
    pipeline.merge_findings();
    if (!read) return std::move(read).error();  // this machine's fault: no verdict on the backup
    index_read = *read;

    pipeline.add_counts(counts);
    checker.add_counts(counts);
    if (pipeline.cancelled())
        return make_error(ErrorCode::Interrupted, path_text(backup.path), "verify was interrupted");
    report_links(tree, checker.records_behind_links(), index_read, sink);
    if (index_read && counts.records == 0 && !tree.entries.empty()) {
        // Blobs beside an index with no row: the index lost its rows (a real backup lists at least
        // its folders). That is damage to the index, never a reason to call the data orphans.
        sink.add(make_finding(finding_code::manifest_empty,
                              std::string(index_file_name(backup.format)) +
                                  " lists no file, yet the backup holds " +
                                  count_of(tree.entries.size(), "blob", "blobs") +
                                  ": the index lost its rows; the blobs are not called orphans",
                              {}, {}, index_file_name(backup.format)));
        return Ok{};
    }
    // A damaged index (an mbdb cut short, a database that fails its check) may have lost the rows
    // that name some blobs: those blobs are a consequence of the one finding, not orphans.
    if (index_read && sink.count(finding_code::manifest_unreadable) == 0)
        report_orphans(backup, tree, sink);
    return Ok{};
}

}  // namespace bkcheck::detail
