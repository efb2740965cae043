// The output of verify, for people and for programs. In the library so the JSON shape is tested
// and stable (style.md §9); the CLI only chooses which one to print.
#pragma once

#include "bkcheck/backup.h"
#include "bkcheck/discovery.h"
#include "bkcheck/export_backup.h"
#include "bkcheck/extract.h"
#include "bkcheck/findings.h"
#include "bkcheck/manifest.h"
#include "bkcheck/quarantine.h"
#include "bkcheck/repair.h"
#include "bkcheck/seal.h"
#include "bkcheck/usage.h"
#include "bkcheck/verifier.h"

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace bkcheck {

// {schema_version:1,
// backup:{path,udid,device_name,product_type,product_version,encrypted,format,in_use}, verdict,
//  counts:{records,files,directories,symlinks,blobs_checked,blobs_read,bytes_read,blobs_decrypted,
//  blobs_found,index_examined,levels:{digest,length,present,not_checked,damaged}},
//  findings:[{code,severity,file_id, domain,path,message,remedy}], omitted:{code:count},
//  summary:{errors,warnings}}
// `in_use` (backup.h) is shown, never judged: the verdict is the same either way.
std::string render_verify_json(const Backup& backup, const std::optional<InUse>& in_use,
                               const VerifyResult& result, const FindingSink& sink);

// extract --json: {schema_version:1, backup:{...as verify}, out, selected, files, directories,
//  symlinks, bytes, skipped, denied, damaged_written, stale_sizes, renamed, unreadable_rows,
//  index_damaged, findings:[... as verify, with written_as for name.renamed], omitted, summary}
std::string render_extract_json(const Backup& backup, const fs::path& out,
                                const ExtractSummary& summary, bool index_damaged,
                                const FindingSink& sink);
// export --json: {schema_version:1, backup, folder, records, files, bytes, skipped, denied,
//  unreadable_rows, sizes_fixed, index_damaged, findings, omitted, summary}
std::string render_export_json(const Backup& backup, const ExportSummary& summary,
                               bool index_damaged, const FindingSink& sink);
// Their closing text (after the findings): what was written, what was left out and why, where the
// hash list went (`hash_list` as the user typed it; "" for none) and, when the index was damaged,
// that the records written are only those that could be read, and what to run.
std::string render_extract_text(const Backup& backup, const ExtractSummary& summary,
                                const std::string& hash_list, bool index_damaged);
std::string render_export_text(const Backup& backup, const ExportSummary& summary,
                               const std::string& hash_list, bool index_damaged);
// "  what to do: bkcheck verify DIR for the whole picture; bkcheck repair DIR (preview)": for
// every verb that read a damaged index.
std::string damaged_index_remedy(const fs::path& backup);

// `text` made safe to print: every byte that could act on a terminal, or is not UTF-8, is shown
// escaped, so a name from a backup can neither run an escape sequence (clear the screen, set the
// window title, recolour) nor start or overwrite a line (a fake "Verdict: ok"). C0 controls become
// \n, \r, \t or \xNN (ESC is \x1b), DEL \x7f, C1 controls written in UTF-8 (U+0080-U+009F)
// \u0080-\u009f, and each byte that is not part of valid UTF-8 \xNN. Everything else, other scripts
// included, is kept. Every text printer passes what came from a backup (paths, domains, device and
// folder names, plist strings, symlink targets, messages embedding them) through this one function;
// JSON is exact instead (JsonWriter escapes control characters itself).
std::string terminal_safe(std::string_view text);

// `text` between ANSI escapes for `severity` when `color`: errors red, warnings yellow, info plain.
// Callers decide `color` (the CLI: a terminal, and NO_COLOR unset); the JSON never has any.
std::string paint_severity(std::string_view text, Severity severity, bool color);

// Findings grouped by code (errors first), counts, and a closing paragraph on what to do. With
// `color`, each finding heading's severity word is painted.
std::string render_verify_text(const Backup& backup, const std::optional<InUse>& in_use,
                               const VerifyResult& result, const FindingSink& sink,
                               bool color = false);

// The line every text output (verify, info, list, doctor) gives a backup in use, without indent or
// newline: "In use: <file>: <reason> (a backup seems to be running: ...)", terminal-safe.
std::string in_use_text(const InUse& in_use);

// The outcome of verify --against-seal: {backup:{...}, seal:{path,sealed_at,files},
// verdict:"unchanged"|"changed", counts:{files_checked,bytes_read,changed,missing,unsealed},
// findings, omitted, summary} — findings/omitted/summary shaped as in verify's JSON.
std::string render_seal_check_json(const Backup& backup, const std::optional<InUse>& in_use,
                                   const fs::path& seal_path, const Seal& seal,
                                   const SealCheckResult& result, const FindingSink& sink);
std::string render_seal_check_text(const Backup& backup, const std::optional<InUse>& in_use,
                                   const fs::path& seal_path, const Seal& seal,
                                   const SealCheckResult& result, const FindingSink& sink,
                                   bool color = false);
// What verify --seal did with the seal, one line: "Not sealed: <refusal>." or "Sealed N files in
// PATH: <the command that checks them later> checks them later." (--seal-file named in that command
// when `seal_file_named`; a seal of a backup that is not ok says it was sealed as it is).
std::string render_not_sealed(const std::string& refusal);
std::string render_sealed(const Seal& seal, const fs::path& seal_path, const fs::path& backup,
                          bool seal_file_named, Verdict verdict);

// info: every field of Info.plist, Status.plist and Manifest.plist in words (terminal-safe), or as
// {path, folder_name, udid, device_name, product_type, product_version, format, encrypted, state,
//  snapshot_dir_present, in_use, info_plist:{state, problem|binary, ...}, status_plist:{...},
//  manifest_plist:{...}}.
std::string render_info_text(const Backup& backup, const std::optional<InUse>& in_use);
std::string render_info_json(const Backup& backup, const std::optional<InUse>& in_use);

// list: per row the path, then "Device (model, iOS x)", "last backup ..., size, encryption,
// state[, archived copy ...]" or "access denied: ..."/"unreadable: ...", then the count; or "No
// backups found in:" and the places searched. JSON: {searched:[...], backups:[{path, udid,
// device_name, product_type, product_version, last_backup_date, size_bytes, encrypted, format,
// state, in_use, problem?, default_place?, archived_at}]}.
std::string render_list_text(const BackupListing& listing);
std::string render_list_json(const BackupListing& listing);

// ls: the records of a backup written as the index is read. Text: one line per record "domain
// path kind size mtime class N [-> target]" (terminal-safe). JSON: one document {records:[{file_id,
// domain, path, kind, size, mode, mtime, protection_class, target?, names_escaped?, <field>_hex?}],
// unreadable_rows, error?, index_damaged}, flushed every 256 records so memory stays flat.
class RecordListOutput {
public:
    RecordListOutput(std::ostream& out, bool json);
    ~RecordListOutput();
    RecordListOutput(const RecordListOutput&) = delete;
    RecordListOutput& operator=(const RecordListOutput&) = delete;

    void record(const FileRecord& record);
    // After the last record: closes the JSON document, with `read`'s error when the index broke
    // part-way (nothing when it could not be opened at all: the error is the whole answer).
    void finish(std::uint64_t unreadable, const Status& read, bool index_damaged);

private:
    struct Json;
    void start_json();
    std::ostream& m_out;
    std::unique_ptr<Json> m_json;
    bool m_started = false;
    std::uint64_t m_listed = 0;
};

// usage: "Total: ... in N files", then "By domain:" and "By app:" bar charts of the `top` largest
// (0: all). JSON: {total_bytes, total_files, domains:[{name, bytes, files}], apps:[...],
// index_damaged}.
std::string render_usage_text(const SpaceUsage& usage, std::size_t top);
std::string render_usage_json(const SpaceUsage& usage, std::size_t top, bool index_damaged);

// prune and repair. A plan in words: "Plan (N actions, SIZE to quarantine):" (or "Changes" when
// `applying`), each action with its reason and up to 10 details, what was left alone, and how to
// apply it; "Nothing to <verb>." when empty.
std::string render_plan_text(const Plan& plan, bool applying);
// "Applied as run <id> (N moves; SIZE in <quarantine>).\nTo put everything back: bkcheck undo ..."
std::string render_applied(const Plan& plan, const RunJournal& run);
// For each backup in use: that it is, and, when the plan changes it (`changes`), what --apply does
// about it (apply_blockers).
std::string render_in_use_notice(const std::vector<BackupInUse>& in_use, bool changes, bool apply,
                                 bool assume_finished);

// prune: per folder of backups, its plan, the backups in use the plan would change, and the run
// when --apply carried it out.
struct PrunedRoot {
    Plan plan;
    std::vector<BackupInUse> in_use;
    std::optional<RunJournal> run;
};
std::string render_prune_root_text(const PrunedRoot& root, bool apply, bool assume_finished);
// {assume_finished, plans:[{root, verb, bytes, actions:[{kind, subject, reason, bytes,
//  details}], left_alone, backups_in_use, run}]}
std::string render_prune_json(const std::vector<PrunedRoot>& roots, bool assume_finished);

// repair: the verify and plan, the run when --apply carried it out, and the verify after it (absent
// when that check was interrupted).
struct RepairReport {
    fs::path backup;
    RepairAssessment assessment;
    std::optional<RunJournal> run;
    std::optional<RepairAssessment> after;
    std::vector<BackupInUse> in_use;
    bool apply = false;
    bool assume_finished = false;
    std::size_t errors_left() const;  // errors of the last verify (after, else before)
};
std::string render_repair_text(const RepairReport& report);
// {backup, verdict_before, root, verb, bytes, actions, left_alone, run, verdict_after,
//  errors_left, in_use, assume_finished}
std::string render_repair_json(const RepairReport& report);

// undo --list: per run "id  state  time  size" and its summary lines, or "No runs in ...".
// JSON: {schema_version:1, quarantine, runs:[{id, verb, state, created, quarantined_bytes,
// summary}]}.
std::string render_runs_text(const fs::path& root, const std::vector<RunInfo>& runs);
std::string render_runs_json(const fs::path& root, const std::vector<RunInfo>& runs);

// undo: the run put back, or why there was nothing to undo (no run left to undo: run_id empty; the
// run named is already undone or rolled back: its `state`).
struct UndoReport {
    fs::path root;
    std::optional<RunJournal> undone;
    std::string run_id;
    RunState state = RunState::Undone;
};
std::string render_undo_text(const UndoReport& report);
// {schema_version:1, quarantine, run, undone, state, moves}
std::string render_undo_json(const UndoReport& report);

// purge: what would be deleted and freed, or (with `freed`, after --apply) what was.
std::string render_purge_text(const fs::path& root, const PurgeSelection& selection,
                              std::optional<std::uint64_t> freed);
// {schema_version:1, quarantine, applied, runs:[as undo --list], stopped:[ids], bytes}
std::string render_purge_json(const fs::path& root, const PurgeSelection& selection,
                              std::optional<std::uint64_t> freed);

// With --json, the answer of a verb that ended without its document: {"schema_version": 1,
// "error": {"code": "usage"|"not_a_backup"|"wrong_password"|"io"|"interrupted"|..., "exit_code",
// "message"}} and a newline. `code` names the exit status (the README's table).
std::string render_error_json(std::string_view code, int exit_code, std::string_view message);

// unlock: whether the password unlocks the backup (with the protection classes it opened and where
// the key was saved), that the backup is not encrypted, or the keybag's hash line (--hash-line).
struct UnlockReport {
    fs::path backup;
    bool encrypted = true;
    std::string hash_line;  // --hash-line: the line, and nothing was unlocked
    std::size_t class_keys = 0;
    std::string key_saved_to;  // --save-key FILE, once written
};
std::string render_unlock_text(const UnlockReport& report);
// {schema_version:1, backup, encrypted, hash_line|null, unlocked, class_keys, key_saved_to|null}
std::string render_unlock_json(const UnlockReport& report);

}  // namespace bkcheck
