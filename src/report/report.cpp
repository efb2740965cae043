#include "bkcheck/report.h"
#include "bkcheck/findings.h"
#include "device_json.h"
#include "in_use_json.h"
#include "text.h"

#include "bkcheck/path_text.h"
#include "bytes.h"
#include "json_writer.h"
#include "verify_counts_json.h"

#include <algorithm>
#include <map>

namespace bkcheck {
namespace {

int severity_rank(Severity severity)
{
    return severity == Severity::Error ? 0 : severity == Severity::Warning ? 1 : 2;
}

// An ok verdict is worded from the levels the files were verified to, so nobody mistakes a length
// check, or an encrypted blob's padding, for content matched against the index.
std::string ok_sentence(const VerifyResult& result)
{
    const VerifyCounts::Levels& levels = result.counts.levels;
    std::uint64_t files = levels.digest + levels.content + levels.length + levels.present;
    if (files == 0)
        return "The backup should restore: the index is sound and lists no file with content.";
    if (levels.digest == files) {
        return "The backup should restore: every file it lists is present and its stored bytes "
               "match the SHA-1 the "
               "index records.";
    }
    std::string out =
        "The backup should restore as far as checked: every file it lists is present; ";
    std::vector<std::string> parts;
    if (levels.digest > 0)
        parts.push_back(std::to_string(levels.digest) + " match the SHA-1 the index records");
    if (levels.content > 0) {
        parts.push_back(std::to_string(levels.content) +
                        " decode as the database, property list, photo or video they are");
    }
    if (levels.length > 0) {
        parts.push_back(std::to_string(levels.length) +
                        (result.counts.blobs_decrypted > 0
                             ? " decrypt to the recorded length with valid padding"
                             : " have the recorded length"));
    }
    if (levels.present > 0) {
        parts.push_back(
            std::to_string(levels.present) +
            " were only found present (encrypted and not decrypted, or changed during the backup)");
    }
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "" : ", ") + parts[i];
    out += ". " + std::to_string(files - levels.digest) + " of " + std::to_string(files) +
           " were not matched against a recorded SHA-1";
    if (result.counts.blobs_read == 0) {
        out += " (--read-data reads the content and compares the SHA-1 where the index has one).";
    } else if (result.counts.blobs_read < files) {
        out += " (" + std::to_string(result.counts.blobs_read) +
               " were read, a sample; or the index has no SHA-1 "
               "for them).";
    } else {
        out += " (the index has none for them, as for most files of iOS 10 and later).";
    }
    return out;
}

// --deep: the files of a type bkcheck decodes that it left undecoded, in numbers with the reason,
// so "content" is never read as covering them.
std::string not_decoded_sentence(const VerifyCounts::NotDecoded& not_decoded)
{
    std::vector<std::string> parts;
    if (not_decoded.plist_too_large > 0) {
        parts.push_back(count_of(not_decoded.plist_too_large, "property list", "property lists") +
                        " over 8 MiB (read whole, it would cost more memory than verify's bound)");
    }
    if (not_decoded.plist_beyond_bounds > 0) {
        parts.push_back(
            count_of(not_decoded.plist_beyond_bounds, "property list", "property lists") +
            " beyond bkcheck's parser bounds (nesting or value sizes)");
    }
    if (not_decoded.sqlite_needs_app > 0) {
        parts.push_back(count_of(not_decoded.sqlite_needs_app, "database", "databases") +
                        " whose check needs a collation or SQL function only the app has");
    }
    std::string out = "Not decoded (" + std::to_string(not_decoded.total()) +
                      ", left at their other levels, not called damaged): ";
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "" : "; ") + parts[i];
    return out + ".\n";
}

std::string unchecked_sentence(const VerifyResult& result, const FindingSink& sink)
{
    const VerifyCounts& counts = result.counts;
    std::string out = "Not everything could be examined, so this is no clean bill: ";
    if (!counts.index_examined) {
        out += "the index was not read";
        bool denied = sink.count(finding_code::access_denied) > 0;
        if (denied) {
            out += " (this user may not read it)";
        } else if (sink.count(finding_code::manifest_encrypted) > 0) {
            out += " (it is encrypted and no password was given)";
        }
        out +=
            ", so none of the files it lists was checked; only the plists and the folder layout "
            "were. ";
        out += denied ? "Run bkcheck as a user who may read the backup to check them."
                      : "Give the password (--password-file, BKCHECK_PASSWORD, --key-file) to "
                        "check them.";
        return out;
    }
    if (counts.levels.not_checked == 0) {
        // Only a plist was not read (access.denied): every file was looked at.
        return out +
               "this user may not read a plist of the backup (access.denied above); the files it "
               "lists were "
               "checked and nothing wrong was found in them.";
    }
    out += std::to_string(counts.levels.not_checked) + " of " +
           std::to_string(counts.levels.digest + counts.levels.content + counts.levels.length +
                          counts.levels.present + counts.levels.not_checked) +
           " files were not checked. Nothing wrong was found in the rest.";
    return out;
}

std::string verdict_sentence(const VerifyResult& result, const FindingSink& sink)
{
    switch (result.verdict) {
        case Verdict::Ok:
            return ok_sentence(result);
        case Verdict::Unchecked:
            return unchecked_sentence(result, sink);
        case Verdict::Damaged:
            return "The backup is damaged: a restore from it will fail or lose the files listed "
                   "above.";
        case Verdict::Incomplete:
            return "The backup is incomplete: the last backup session did not finish, so a restore "
                   "will be refused.";
        case Verdict::Unreadable:
            return "The backup cannot be read: its index or Manifest.plist is missing or damaged, "
                   "so nothing can be "
                   "restored from it as it is.";
    }
    return "";
}

// The code point of the well-formed UTF-8 sequence of `length` bytes at `i`.
std::uint32_t code_point(std::string_view text, std::size_t i, std::size_t length)
{
    auto byte = [&](std::size_t k) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(text[i + k]));
    };
    switch (length) {
        case 2:
            return (byte(0) & 0x1F) << 6 | (byte(1) & 0x3F);
        case 3:
            return (byte(0) & 0x0F) << 12 | (byte(1) & 0x3F) << 6 | (byte(2) & 0x3F);
        case 4:
            return (byte(0) & 0x07) << 18 | (byte(1) & 0x3F) << 12 | (byte(2) & 0x3F) << 6 |
                   (byte(3) & 0x3F);
        default:
            return byte(0);
    }
}

// Characters a terminal would act on or hide rather than show: C1 controls (U+009B is a CSI on many
// terminals), zero-width and direction marks, bidi embeddings, overrides and isolates (a U+202E can
// make a name read backwards), the byte order mark.
bool is_hidden_format(std::uint32_t c)
{
    return (c >= 0x80 && c <= 0x9F) || (c >= 0x200B && c <= 0x200F) ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

bool needs_escape(unsigned char c)
{
    return c < 0x20 || c >= 0x7f;
}

void append_escaped_byte(std::string& out, unsigned char c)
{
    static constexpr char k_hex[] = "0123456789abcdef";
    switch (c) {
        case '\n':
            out += "\\n";
            return;
        case '\r':
            out += "\\r";
            return;
        case '\t':
            out += "\\t";
            return;
        default:
            out += "\\x";
            out.push_back(k_hex[c >> 4]);
            out.push_back(k_hex[c & 0xF]);
    }
}

std::string subject_of(const Finding& finding)
{
    if (!finding.domain.empty()) return finding.domain + ": " + finding.path;
    return finding.path;
}

// findings, omitted and summary: the part of the JSON shared by verify and the seal check.
void write_findings_json(JsonWriter& json, const FindingSink& sink, const fs::path& backup)
{
    json.key("findings").begin_array();
    for (const Finding& finding : sink.kept()) {
        Remedy remedy = resolve_remedy(finding, backup);
        json.begin_object()
            .key("code")
            .string(finding.code)
            .key("severity")
            .string(severity_name(finding.severity))
            .key("file_id")
            .string_or_null(finding.file_id)
            .key("domain")
            .string_or_null(finding.domain)
            .key("path")
            .string_or_null(finding.path)
            .key("message")
            .string(finding.message);
        // Only findings that have one carry it, so other verbs' JSON stays as it was.
        if (!finding.written_as.empty()) json.key("written_as").string(finding.written_as);
        json.key("remedy").string(remedy.text).key("fix_argv");
        if (remedy.fix_argv) {
            json.begin_array();
            for (const std::string& word : *remedy.fix_argv) json.string(word);
            json.end_array();
        } else {
            json.null();
        }
        json.end_object();
    }
    json.end_array().key("omitted").begin_object();
    for (const auto& [code, total] : sink.totals()) {
        if (total > sink.max_per_code())
            json.key(code).unsigned_number(total - sink.max_per_code());
    }
    json.end_object();
    json.key("summary")
        .begin_object()
        .key("errors")
        .unsigned_number(sink.count(Severity::Error))
        .key("warnings")
        .unsigned_number(sink.count(Severity::Warning))
        .end_object();
}

// Findings grouped by code, errors first, in catalogue order within a severity.
void append_findings_text(std::string& out, const FindingSink& sink, const fs::path& backup,
                          bool color)
{
    std::map<std::string, std::vector<Finding>> by_code;
    for (const Finding& finding : sink.kept()) by_code[finding.code].push_back(finding);
    std::vector<std::string> codes;
    for (const auto& [code, total] : sink.totals()) codes.push_back(code);
    std::stable_sort(codes.begin(), codes.end(), [](const std::string& a, const std::string& b) {
        return severity_rank(finding_kind(a).severity) < severity_rank(finding_kind(b).severity);
    });
    auto totals = sink.totals();
    for (const std::string& code : codes) {
        const FindingKind& kind = finding_kind(code);
        std::size_t total = totals[code];
        // Appended piece by piece: GCC 12 -O3 warns (-Wrestrict, a false positive, GCC bug 105329)
        // on "literal" + std::string&& here, which the README's first command would print.
        out += '\n';
        out += paint_severity(severity_name(kind.severity), kind.severity, color);
        out += ' ';
        out += code;
        out += " (" + std::to_string(total) + ")\n";
        for (const Finding& finding : by_code[code]) {
            std::string subject = subject_of(finding);
            // The one place a finding's names and message reach text: escaped here, once.
            out += "  " +
                   terminal_safe(subject.empty() ? finding.message
                                                 : subject + ": " + finding.message) +
                   "\n";
        }
        if (total > by_code[code].size()) {
            out += "  ... and " + std::to_string(total - by_code[code].size()) +
                   " more (raise --max-findings to list them)\n";
        }
        // Usually one remedy per code; a finding with a case of its own (an unfinished run's undo,
        // a damaged Manifest.mbdb) adds its own line. Paths in it come from the user and the
        // backup.
        std::vector<std::string> remedies;
        for (const Finding& finding : by_code[code]) {
            std::string text = resolve_remedy(finding, backup).text;
            if (std::find(remedies.begin(), remedies.end(), text) == remedies.end())
                remedies.push_back(text);
        }
        if (remedies.empty())
            remedies.push_back(resolve_remedy(make_finding(code, {}), backup).text);
        for (const std::string& text : remedies)
            out += "  what to do: " + terminal_safe(text) + "\n";
    }
}

void write_backup_json(JsonWriter& json, const Backup& backup, const std::optional<InUse>& in_use)
{
    json.key("backup").begin_object().key("path").string(path_text(backup.path));
    write_device_json(json, backup);
    json.key("encrypted");
    if (backup.encryption_known())
        json.boolean(backup.encrypted);
    else
        json.null();
    json.key("format").string(backup_format_name(backup.format));
    write_in_use_json(json, in_use);
    json.end_object();
}

std::string backup_header_text(const Backup& backup, const std::optional<InUse>& in_use)
{
    return "Backup " + terminal_safe(path_text(backup.path)) + "\n  " +
           (backup.device_name().empty() ? std::string("unknown device")
                                         : terminal_safe(backup.device_name())) +
           ", iOS " +
           (backup.product_version().empty() ? std::string("unknown")
                                             : terminal_safe(backup.product_version())) +
           ", " + backup.encryption_text() + ", " + index_file_name(backup.format) + "\n" +
           (in_use ? "  " + in_use_text(*in_use) + "\n" : std::string());
}

}  // namespace

std::string terminal_safe(std::string_view text)
{
    // Names are nearly always plain: hand them back as they are.
    if (std::none_of(text.begin(), text.end(),
                     [](char c) { return needs_escape(static_cast<unsigned char>(c)); })) {
        return std::string(text);
    }
    std::string out;
    out.reserve(text.size() + 16);
    for (std::size_t i = 0; i < text.size();) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            if (needs_escape(c)) {
                append_escaped_byte(out, c);
            } else {
                out.push_back(static_cast<char>(c));
            }
            ++i;
            continue;
        }
        std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) {
            append_escaped_byte(out, c);  // not UTF-8: the byte itself, so nothing is lost
            ++i;
        } else if (std::uint32_t code = code_point(text, i, length); is_hidden_format(code)) {
            static constexpr char k_hex[] = "0123456789abcdef";
            out += "\\u";
            for (int shift = 12; shift >= 0; shift -= 4)
                out.push_back(k_hex[(code >> shift) & 0xF]);
            i += length;
        } else {
            out.append(text.substr(i, length));
            i += length;
        }
    }
    return out;
}

std::string paint_severity(std::string_view text, Severity severity, bool color)
{
    std::string painted(text);
    if (!color || severity == Severity::Info) return painted;
    return (severity == Severity::Error ? "\033[31m" : "\033[33m") + painted + "\033[0m";
}

std::string in_use_text(const InUse& in_use)
{
    return "In use: " + terminal_safe(describe_in_use(in_use)) +
           " (a backup seems to be running; a state, not damage: prune and repair --apply refuse "
           "to change it until it has finished)";
}

std::string render_extract_json(const Backup& backup, const fs::path& out,
                                const ExtractSummary& summary, bool index_damaged,
                                const FindingSink& sink)
{
    JsonWriter json;
    json.begin_object().key("schema_version").unsigned_number(1);
    write_backup_json(json, backup, std::nullopt);
    json.key("out").string(path_text(out));
    json.key("selected").unsigned_number(summary.selected);
    json.key("files").unsigned_number(summary.files);
    json.key("directories").unsigned_number(summary.directories);
    json.key("symlinks").unsigned_number(summary.symlinks);
    json.key("bytes").unsigned_number(summary.bytes);
    json.key("skipped").unsigned_number(summary.skipped);
    json.key("denied").unsigned_number(summary.denied);
    json.key("damaged_written").unsigned_number(summary.damaged_written);
    json.key("stale_sizes").unsigned_number(summary.stale_sizes);
    json.key("renamed").unsigned_number(summary.renamed);
    json.key("unreadable_rows").unsigned_number(summary.unreadable_rows);
    json.key("index_damaged").boolean(index_damaged);
    write_findings_json(json, sink, backup.path);
    json.end_object();
    return json.str();
}

std::string render_export_json(const Backup& backup, const ExportSummary& summary,
                               bool index_damaged, const FindingSink& sink)
{
    JsonWriter json;
    json.begin_object().key("schema_version").unsigned_number(1);
    write_backup_json(json, backup, std::nullopt);
    json.key("folder").string(path_text(summary.folder));
    json.key("records").unsigned_number(summary.records);
    json.key("files").unsigned_number(summary.files);
    json.key("bytes").unsigned_number(summary.bytes);
    json.key("skipped").unsigned_number(summary.skipped);
    json.key("denied").unsigned_number(summary.denied);
    json.key("unreadable_rows").unsigned_number(summary.unreadable_rows);
    json.key("sizes_fixed").unsigned_number(summary.sizes_fixed);
    json.key("index_damaged").boolean(index_damaged);
    write_findings_json(json, sink, backup.path);
    json.end_object();
    return json.str();
}

std::string render_verify_json(const Backup& backup, const std::optional<InUse>& in_use,
                               const VerifyResult& result, const FindingSink& sink)
{
    JsonWriter json;
    json.begin_object().key("schema_version").unsigned_number(1);
    write_backup_json(json, backup, in_use);
    json.key("verdict").string(verdict_name(result.verdict));
    json.key("counts");
    write_verify_counts_json(json, result.counts);
    write_findings_json(json, sink, backup.path);
    json.end_object();
    return json.str();
}

std::string render_verify_text(const Backup& backup, const std::optional<InUse>& in_use,
                               const VerifyResult& result, const FindingSink& sink, bool color)
{
    std::string out;
    out += backup_header_text(backup, in_use);

    append_findings_text(out, sink, backup.path, color);
    const VerifyCounts& counts = result.counts;
    out += "\nChecked " + count_of(counts.records, "index entry", "index entries") + " (" +
           count_of(counts.files, "file", "files") + ", " +
           count_of(counts.directories, "folder", "folders") + ", " +
           count_of(counts.symlinks, "link", "links") + "), " +
           count_of(counts.blobs_checked, "blob", "blobs");
    if (counts.blobs_read > 0)
        out += ", read " + count_of(counts.bytes_read, "byte", "bytes") + " of " +
               count_of(counts.blobs_read, "blob", "blobs");
    if (counts.blobs_decrypted > 0)
        out += " (" + std::to_string(counts.blobs_decrypted) + " decrypted in memory)";
    out += ".\n";
    if (counts.index_examined) {
        const VerifyCounts::Levels& levels = counts.levels;
        out += "Files verified to: " + std::to_string(levels.digest) +
               " digest (stored bytes match the recorded "
               "SHA-1), " +
               // Only --deep decodes content: without it the level is always 0, and saying so on
               // every verify would suggest a check that did not run.
               (result.counts.deep ? std::to_string(levels.content) + " content (decodes), " : "") +
               std::to_string(levels.length) + " length, " + std::to_string(levels.present) +
               " present, " + std::to_string(levels.not_checked) + " not checked, " +
               std::to_string(levels.damaged) + " damaged.\n";
        if (result.counts.deep && result.counts.not_decoded.total() > 0)
            out += not_decoded_sentence(result.counts.not_decoded);
    } else {
        out += "Not examined: the index, and every file it lists (" +
               count_of(counts.blobs_found, "blob is", "blobs are") +
               " in the backup's folders, none checked).\n";
    }
    out += "Verdict: " + std::string(verdict_name(result.verdict)) + ". " +
           verdict_sentence(result, sink) + "\n";
    out += count_of(sink.count(Severity::Error), "error", "errors") + ", " +
           count_of(sink.count(Severity::Warning), "warning", "warnings") + ".\n";
    return out;
}

std::string render_seal_check_json(const Backup& backup, const std::optional<InUse>& in_use,
                                   const fs::path& seal_path, const Seal& seal,
                                   const SealCheckResult& result, const FindingSink& sink)
{
    JsonWriter json;
    json.begin_object().key("schema_version").unsigned_number(1);
    write_backup_json(json, backup, in_use);
    json.key("seal")
        .begin_object()
        .key("path")
        .string(path_text(seal_path))
        .key("sealed_at")
        .number(seal.sealed_at)
        .key("files")
        .unsigned_number(seal.entries.size())
        .key("hash")
        .string(seal_hash_name(seal.hash));
    // The verify that made the seal: its verdict and findings (null in a version 1 seal, which
    // only a sound backup got).
    json.key("sealed_verdict").string_or_null(seal.verdict);
    json.key("sealed_findings");
    if (seal.verdict.empty()) {
        json.null();
    } else {
        json.begin_object();
        for (const auto& [code, count] : seal.findings) json.key(code).unsigned_number(count);
        json.end_object();
    }
    json.end_object();
    json.key("verdict").string(result.unchecked()   ? "unchecked"
                               : result.unchanged() ? "unchanged"
                                                    : "changed");
    json.key("counts")
        .begin_object()
        .key("files_checked")
        .unsigned_number(result.files_checked)
        .key("bytes_read")
        .unsigned_number(result.bytes_read)
        .key("changed")
        .unsigned_number(result.changed)
        .key("missing")
        .unsigned_number(result.missing)
        .key("unsealed")
        .unsigned_number(result.unsealed)
        .key("denied")
        .unsigned_number(result.denied)
        .end_object();
    write_findings_json(json, sink, backup.path);
    json.end_object();
    return json.str();
}

std::string render_seal_check_text(const Backup& backup, const std::optional<InUse>& in_use,
                                   const fs::path& seal_path, const Seal& seal,
                                   const SealCheckResult& result, const FindingSink& sink,
                                   bool color)
{
    std::string out = backup_header_text(backup, in_use);
    out += "  seal " + terminal_safe(path_text(seal_path)) + " (" +
           count_of(seal.entries.size(), "file", "files") +
           (seal.hash == SealHash::Sha256 ? ", SHA-256" : "") + ")\n";
    // A backup sealed as it is: what its verify found then, which an unchanged verdict still means.
    if (!seal.verdict.empty() && seal.verdict != "ok") {
        out += "  sealed as " + terminal_safe(seal.verdict);
        std::string separator = ": ";
        for (const auto& [code, count] : seal.findings) {
            out += separator + terminal_safe(code) + " " + std::to_string(count);
            separator = ", ";
        }
        out += "\n";
    }
    append_findings_text(out, sink, backup.path, color);
    out += "\nHashed " + count_of(result.files_checked, "sealed file", "sealed files") + ", " +
           count_of(result.bytes_read, "byte", "bytes") + ".\n";
    if (result.unchecked()) {
        return out + "Verdict: unchecked. " + count_of(result.denied, "file", "files") +
               " this user may not read could not be compared (access.denied above); nothing else "
               "changed since "
               "the seal. Run bkcheck as a user who may read the backup.\n";
    }
    bool sealed_damaged = !seal.verdict.empty() && seal.verdict != "ok";
    out += result.unchanged() && sealed_damaged
               ? "Verdict: unchanged, and still " + terminal_safe(seal.verdict) +
                     ". Not a byte changed since the seal, so what the verify that made it found "
                     "(above) still holds: the backup is as damaged as it was.\n"
           : result.unchanged() ? "Verdict: unchanged. Not a byte changed since the seal: the full "
                                  "verify that made it still holds.\n"
                                : "Verdict: changed. " +
                                      count_of(result.changed + result.missing + result.unsealed,
                                               "file differs", "files differ") +
                                      " from the seal (listed above).\n";
    return out;
}

std::string render_error_json(std::string_view code, int exit_code, std::string_view message)
{
    JsonWriter json;
    json.begin_object()
        .key("schema_version")
        .unsigned_number(1)
        .key("error")
        .begin_object()
        .key("code")
        .string(code)
        .key("exit_code")
        .unsigned_number(static_cast<std::uint64_t>(exit_code))
        .key("message")
        .string(message)
        .end_object();
    return json.end_object().str();
}

}  // namespace bkcheck
