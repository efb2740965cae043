// Findings: facts about a backup (style.md §10, channel 1). A verify of a damaged backup succeeds
// and returns findings, the way SQLite's integrity_check returns rows. Each code is stable once
// released (like zstd's pinned error values) and listed, with its severity and remedy, in one table
// (finding_codes.cpp), which the README mirrors.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace bkcheck {

enum class Severity { Error, Warning, Info };

const char* severity_name(Severity severity);

// The catalogue entry for one code. `remedy` and `fix` may name {backup} (the backup folder),
// {root} (the folder holding it) and {entry} (the finding's path inside the backup); remedy.h fills
// them in with the real paths before anything is shown.
struct FindingKind {
    std::string_view code;  // "blob.missing" (finding_codes.h names each)
    Severity severity;
    std::string_view remedy;  // in words: what to do next, naming the command when there is one
    // The bkcheck arguments (after the program name, split on spaces) that close this finding, or
    // empty when no bkcheck command can: then `remedy` says what the person must do instead.
    std::string_view fix;  // "repair --apply {backup}"
};

// The entry for a code; asserts it exists (a code not in the table is a bug).
const FindingKind& finding_kind(std::string_view code);
const std::vector<FindingKind>& all_finding_kinds();

struct Finding {
    std::string code;
    Severity severity = Severity::Error;
    std::string file_id;  // subject, where the finding is about one record
    std::string domain;
    std::string path;     // relativePath for a record, or the backup-relative file name
    std::string message;  // plain words
    std::string
        remedy;       // from the catalogue, or this finding's own when its case differs (a damaged
    std::string fix;  // Manifest.mbdb has no salvage; an unfinished run names its undo)
    // Where it was written instead, under the output folder (name.renamed); empty otherwise.
    std::string written_as;
};

// Builds a Finding from the catalogue: severity and remedy come from the code's table entry.
Finding make_finding(std::string_view code, std::string message, std::string file_id = {},
                     std::string domain = {}, std::string path = {});

// Collects findings from any thread, keeping at most `max_per_code` of each code and counting the
// rest (SQLite's mxErr). Which findings are kept, and their order, do not depend on arrival order
// (so on how many threads found them): per code, the first `max_per_code` by subject (fileID, path,
// domain, message); kept() lists them by code, then subject.
class FindingSink {
public:
    explicit FindingSink(std::size_t max_per_code = 50) : m_max_per_code(max_per_code) {}

    void add(Finding finding);
    // Changes the kept findings of `code`: for a remedy that depends on the whole verify, settled
    // once it ends.
    void amend(std::string_view code, const std::function<void(Finding&)>& change);

    std::vector<Finding> kept() const;
    std::size_t count(std::string_view code) const;
    std::size_t count(Severity severity) const;
    // Per code: total seen (including those over the cap).
    std::map<std::string, std::size_t> totals() const;
    std::size_t max_per_code() const { return m_max_per_code; }

private:
    mutable std::mutex m_mutex;
    std::size_t m_max_per_code;
    std::map<std::string, std::vector<Finding>, std::less<>> m_kept;
    std::map<std::string, std::size_t, std::less<>> m_totals;
    std::map<Severity, std::size_t> m_severity_totals;
};

}  // namespace bkcheck
