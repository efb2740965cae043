// The records of a backup for the verbs that read its content (ls, usage, extract, export): the
// same reader verify uses, including an encrypted Manifest.db decrypted in memory with the class
// keys.
#pragma once

#include "bkcheck/backup.h"
#include "bkcheck/findings.h"
#include "bkcheck/manifest.h"

#include <functional>
#include <optional>
#include <string>

namespace bkcheck {

// Problems that still let rows be read go to `sink` (manifest.*). An error when there is no index
// to read: Unsupported for iOS <= 4, Corrupt naming the reason (missing, damaged, encrypted without
// keys). When a damaged Manifest.db page stops the reading part-way (SQLite gives up at the first
// one), the rows are read again by salvage, stepping over damaged pages as repair does, so that
// extract and export get every record that survives: `manifest.salvaged` says how many and what was
// lost, and the `manifest.unreadable` error stays, since the index is still damaged.
Result<ManifestIndex> load_backup_index(const FileSystem& file_system, const Backup& backup,
                                        const ClassKeys* keys, FindingSink& sink);

// The records as SQLite (or the mbdb parser) reads them, handed to `record` one by one instead of
// gathered, so memory does not grow with the index (usage of a million-row backup: 444 MB
// gathered). Rows whose record cannot be decoded go to `unreadable`. The errors and findings of
// load_backup_index, without its salvage: when a damaged page stops the reading part-way, `record`
// has seen the rows before it and manifest.unreadable says so. A visitor with neither callback
// reads the index through without decoding it (to learn whether it can be read).
struct RecordVisitor {
    std::function<void(FileRecord&&)> record;
    std::function<void(const UnreadableRecord&)> unreadable;
    // Optional: asked before each row; false ends the reading there, without an error (an extract
    // that failed or was interrupted does not decode the rest of a million-row index).
    std::function<bool()> wants_more;
};
Status for_each_backup_record(const FileSystem& file_system, const Backup& backup,
                              const ClassKeys* keys, FindingSink& sink,
                              const RecordVisitor& visitor);

// Where a verb gets the records it goes over, perhaps more than once (extract: once to total the
// sizes for its progress display, once to write the files).
class RecordSource {
public:
    virtual ~RecordSource() = default;
    // Hands every record, and every row that does not decode, to `visitor`, in the index's order.
    virtual Status for_each(const RecordVisitor& visitor) const = 0;
};

// A gathered index as a RecordSource (records are copied out one at a time).
class IndexRecords final : public RecordSource {
public:
    explicit IndexRecords(const ManifestIndex& index) : m_index(index) {}
    Status for_each(const RecordVisitor& visitor) const override;

private:
    const ManifestIndex& m_index;
};

// A backup's records read from disk again on each pass, so memory stays flat whatever the index's
// size (an extract of a million records held 440 MB of them). `open` reads the index through once,
// without decoding the records, to learn whether it is sound (findings into `sink`, errors as
// for_each_backup_record). A Manifest.db that pass finds damaged is instead gathered in memory by
// salvage, as load_backup_index does (`manifest.salvaged` into `sink`), and every pass goes over
// that. A pass that finds damage `open` did not (the index changed in between) is a Corrupt error.
// It refers to `file_system` and `backup`, which must outlive it.
class StreamedRecords final : public RecordSource {
public:
    static Result<StreamedRecords> open(const FileSystem& file_system, const Backup& backup,
                                        const ClassKeys* keys, FindingSink& sink);
    Status for_each(const RecordVisitor& visitor) const override;

private:
    StreamedRecords(const FileSystem& file_system, const Backup& backup, const ClassKeys* keys)
        : m_file_system(file_system), m_backup(backup), m_keys(keys)
    {
    }
    const FileSystem& m_file_system;
    const Backup& m_backup;
    const ClassKeys* m_keys;
    std::optional<ManifestIndex> m_gathered;
};

}  // namespace bkcheck

// Which records ls, usage and extract act on: --domain, --path and --file-id, shared so the three
// verbs select the same records for the same options.
namespace bkcheck {

struct RecordFilter {
    std::string domain;     // glob (fnmatch) on the domain, e.g. "AppDomain-*"; empty: any
    std::string path_glob;  // glob on relativePath; "*" also matches "/"; empty: any
    std::string file_id;    // exact fileID; empty: any

    bool matches(const FileRecord& record) const;
    bool empty() const { return domain.empty() && path_glob.empty() && file_id.empty(); }
};

// Which parts of a filter matched some record on their own, noted record by record: when the
// filter as a whole selects nothing, this says which part did not match (a mistyped --path in a
// domain that exists is not a mistyped --domain).
struct FilterTally {
    bool domain = false;   // some record's domain matches the filter's domain glob
    bool path = false;     // some record's relativePath matches its path glob
    bool file_id = false;  // some record has its fileID

    void note(const RecordFilter& filter, const FileRecord& record);
};

}  // namespace bkcheck
