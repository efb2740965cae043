// Findings: facts about a backup (style.md §10, channel 1). A verify of a damaged backup succeeds
// and returns findings, the way SQLite's integrity_check returns rows. Each code is stable once
// released (like zstd's pinned error values) and listed, with its severity and remedy, in one table
// (finding_codes.cpp), which the README mirrors.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bkcheck {

enum class Severity { Error, Warning, Info };

const char* severity_name(Severity severity);

// The catalogue entry for one code. `remedy` and `fix` may name {backup} (the backup folder),
// {root} (the folder holding it) and {entry} (the finding's path inside the backup); resolve_remedy
// (below) fills them in with the real paths before anything is shown.
struct FindingKind {
    std::string_view code;  // "blob.missing" (finding_code:: below names each)
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
    // Adds everything `other` collected (its totals, and its kept findings as add() would keep
    // them): what a worker thread gathered in a sink of its own, with the same max_per_code, so
    // the threads do not take one lock per finding. The result is the same as if every finding had
    // been added here, since the first max_per_code of a code by subject are among each part's.
    void merge(FindingSink& other);
    // Counts a finding of `code` about this subject without it being built, and says true, when
    // add() would not keep it: the code has its max_per_code kept, all before this subject
    // whatever the message. False otherwise: then add() it. An index whose every row has the same
    // finding (all blobs gone) builds 50 of them instead of a million.
    bool count_if_dropped(std::string_view code, std::string_view file_id, std::string_view path,
                          std::string_view domain);
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
    void keep(Finding finding);  // with m_mutex held: into m_kept when among the first by subject

    mutable std::mutex m_mutex;
    std::size_t m_max_per_code;
    std::map<std::string, std::vector<Finding>, std::less<>> m_kept;
    std::map<std::string, std::size_t, std::less<>> m_totals;
    std::map<Severity, std::size_t> m_severity_totals;
};

}  // namespace bkcheck

// Every finding code, as a constant: a typo in a code is a build error, not a finding nobody can
// look up. The values are stable once released (finding_codes.cpp gives each its severity and
// remedy; the README's findings table lists the same codes, and a test compares the two).
namespace bkcheck::finding_code {

inline constexpr std::string_view info_plist_missing = "info_plist.missing";
inline constexpr std::string_view info_plist_unreadable = "info_plist.unreadable";
inline constexpr std::string_view info_plist_incomplete = "info_plist.incomplete";
inline constexpr std::string_view status_plist_missing = "status_plist.missing";
inline constexpr std::string_view status_plist_unreadable = "status_plist.unreadable";
inline constexpr std::string_view manifest_plist_missing = "manifest_plist.missing";
inline constexpr std::string_view manifest_plist_unreadable = "manifest_plist.unreadable";
inline constexpr std::string_view status_unfinished = "status.unfinished";
inline constexpr std::string_view snapshot_dir_present = "snapshot_dir.present";
inline constexpr std::string_view manifest_missing = "manifest.missing";
inline constexpr std::string_view manifest_unreadable = "manifest.unreadable";
inline constexpr std::string_view manifest_empty = "manifest.empty";
inline constexpr std::string_view manifest_salvaged = "manifest.salvaged";
inline constexpr std::string_view manifest_encrypted = "manifest.encrypted";
inline constexpr std::string_view manifest_key_unwrap_failed = "manifest.key_unwrap_failed";
inline constexpr std::string_view manifest_wal_present = "manifest.wal_present";
inline constexpr std::string_view change_unfinished = "change.unfinished";
inline constexpr std::string_view identity_mismatch = "identity.mismatch";
inline constexpr std::string_view folder_name_mismatch = "folder.name_mismatch";
inline constexpr std::string_view record_file_id_mismatch = "record.file_id_mismatch";
inline constexpr std::string_view record_unreadable = "record.unreadable";
inline constexpr std::string_view record_mode_type_missing = "record.mode_type_missing";
inline constexpr std::string_view record_duplicate = "record.duplicate";
inline constexpr std::string_view record_unsafe_path = "record.unsafe_path";
inline constexpr std::string_view blob_missing = "blob.missing";
inline constexpr std::string_view blob_misplaced = "blob.misplaced";
inline constexpr std::string_view blob_size_mismatch = "blob.size_mismatch";
inline constexpr std::string_view blob_size_unverified = "blob.size_unverified";
inline constexpr std::string_view blob_size_changed = "blob.size_changed";
inline constexpr std::string_view blob_padding_invalid = "blob.padding_invalid";
inline constexpr std::string_view blob_key_unwrap_failed = "blob.key_unwrap_failed";
inline constexpr std::string_view blob_digest_mismatch = "blob.digest_mismatch";
inline constexpr std::string_view access_denied = "access.denied";
inline constexpr std::string_view content_sqlite_corrupt = "content.sqlite_corrupt";
inline constexpr std::string_view content_plist_unreadable = "content.plist_unreadable";
inline constexpr std::string_view content_media_truncated = "content.media_truncated";
inline constexpr std::string_view content_media_corrupt = "content.media_corrupt";
inline constexpr std::string_view content_type_mismatch = "content.type_mismatch";
inline constexpr std::string_view blob_unreadable = "blob.unreadable";
inline constexpr std::string_view blob_link = "blob.link";
inline constexpr std::string_view orphan_blob = "orphan.blob";
inline constexpr std::string_view orphan_entry = "orphan.entry";
inline constexpr std::string_view extract_unsafe_name = "extract.unsafe_name";
inline constexpr std::string_view extract_symlink_outside = "extract.symlink_outside";
inline constexpr std::string_view extract_exists = "extract.exists";
inline constexpr std::string_view extract_not_written = "extract.not_written";
inline constexpr std::string_view extract_damaged_written = "extract.damaged_written";
inline constexpr std::string_view export_size_fixed = "export.size_fixed";
inline constexpr std::string_view name_renamed = "name.renamed";
inline constexpr std::string_view seal_changed = "seal.changed";
inline constexpr std::string_view seal_missing = "seal.missing";
inline constexpr std::string_view seal_unsealed = "seal.unsealed";

}  // namespace bkcheck::finding_code

// What a person (or a program) runs to close a finding. The catalogue (finding_codes.cpp) writes
// remedies with placeholders; here they get the real paths, so advice can be pasted as it is shown
// and a program can run `fix_argv` without parsing words. A password never goes into fix_argv: the
// command takes it from BKCHECK_PASSWORD, --password-file or the prompt, as every verb does.
namespace bkcheck {

namespace fs = std::filesystem;

struct Remedy {
    std::string text;  // the remedy in words, every path in it real and quoted for a POSIX shell
    // {"bkcheck", "repair", "--apply", "/real/path"}: the command that closes the finding, or
    // nothing when no bkcheck command can (then `text` says what the person must do).
    std::optional<std::vector<std::string>> fix_argv;
};

// `finding`'s remedy for the backup at `backup` ({root} is its parent folder).
Remedy resolve_remedy(const Finding& finding, const fs::path& backup);

// The path as a shell word: bare when it is only safe characters, else quoted for the shells of
// the platform: in single quotes for POSIX shells ("~/Library/Application Support" has a space); on
// Windows in double quotes, which cmd.exe and PowerShell both read (single quotes are not quotes to
// cmd.exe, and no Windows name holds '"').
std::string shell_quote(const fs::path& path);

}  // namespace bkcheck
