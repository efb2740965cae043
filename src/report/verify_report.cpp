#include "verify_report.h"

#include "bkcheck/path_text.h"
#include "bytes.h"
#include "crypto.h"
#include "json_writer.h"
#include "page_aligned_bytes.h"
#include "verify_counts_json.h"

namespace bkcheck {
namespace {

constexpr std::string_view k_hidden = "(hidden)";
constexpr std::size_t k_hash_chunk = 1 << 20;

void digest_or_null(JsonWriter& json, const std::optional<Sha256Digest>& digest)
{
    if (digest)
        json.string(to_hex(*digest));
    else
        json.null();
}

void number_or_null(JsonWriter& json, const std::optional<std::uint64_t>& number)
{
    if (number)
        json.unsigned_number(*number);
    else
        json.null();
}

// The SHA-256 of a file of the backup, streamed; nullopt when it is not there or cannot be read
// (the trailer then says null: nothing is claimed of a file not read).
std::optional<Sha256Digest> file_sha256(const FileSystem& file_system, const fs::path& path)
{
    auto reader = file_system.open_read(path);
    if (!reader) return std::nullopt;
    Sha256Hasher hasher;
    PageAlignedBytes buffer(k_hash_chunk);
    for (;;) {
        auto count = (*reader)->read(buffer);
        if (!count) return std::nullopt;
        if (*count == 0) break;
        hasher.update(ByteView(buffer.data(), *count));
    }
    return hasher.finish();
}

bool starts_with(ByteView head, std::string_view prefix)
{
    return head.size() >= prefix.size() &&
           std::string_view(reinterpret_cast<const char*>(head.data()), prefix.size()) == prefix;
}

}  // namespace

std::vector<std::string> command_line_without_password(const std::vector<std::string>& args)
{
    std::vector<std::string> shown;
    bool value_next = false;
    for (const std::string& arg : args) {
        if (value_next) {
            shown.emplace_back(k_hidden);
            value_next = false;
        } else if (arg == "--password") {
            shown.push_back(arg);
            value_next = true;
        } else if (arg.rfind("--password=", 0) == 0) {
            shown.push_back("--password=" + std::string(k_hidden));
        } else {
            shown.push_back(arg);
        }
    }
    return shown;
}

std::string render_evidence_line(const EvidenceEntry& entry)
{
    JsonWriter json(false);
    json.begin_object();
    json.key("type").string("entry");
    json.key("file_id").string(entry.file_id);
    json.key("domain").string(entry.domain);
    json.key("path").string(entry.path);
    // JSON cannot carry bytes that are not UTF-8 (they become U+FFFD): the exact name as hex too,
    // as ls --json gives it, so the evidence names the file it hashed.
    if (!is_valid_utf8(entry.domain)) json.key("domain_hex").string(to_hex(as_bytes(entry.domain)));
    if (!is_valid_utf8(entry.path)) json.key("path_hex").string(to_hex(as_bytes(entry.path)));
    json.key("kind").string(entry.kind);
    json.key("size");
    number_or_null(json, entry.size);
    json.key("stored_length");
    number_or_null(json, entry.stored_length);
    json.key("level").string(entry.level);
    json.key("codes").begin_array();
    for (const std::string& code : entry.codes) json.string(code);
    json.end_array();
    json.key("sha256_stored");
    digest_or_null(json, entry.sha256_stored);
    json.key("sha256_plain");
    digest_or_null(json, entry.sha256_plain);
    json.end_object();
    return json.str() + "\n";
}

std::string render_report_trailer(const FileSystem& file_system, const Backup& backup,
                                  const VerifyResult& result, const FindingSink& sink,
                                  const VerifyReportRun& run)
{
    JsonWriter json(false);
    json.begin_object();
    json.key("type").string("trailer");
    json.key("report_version").number(1);
    json.key("bkcheck_version").string(run.bkcheck_version);
    json.key("command_line").begin_array();
    for (const std::string& arg : command_line_without_password(run.command_line)) json.string(arg);
    json.end_array();
    json.key("started").string(iso8601_utc(run.started));
    json.key("ended").string(iso8601_utc(run.ended));
    json.key("backup").begin_object();
    json.key("path").string(path_text(backup.path));
    json.key("encrypted").boolean(backup.encrypted);
    json.key("format").string(backup_format_name(backup.format));
    json.end_object();
    json.key("verdict").string(verdict_name(result.verdict));
    json.key("counts");
    write_verify_counts_json(json, result.counts);
    json.key("findings").begin_object();
    json.key("errors").unsigned_number(sink.count(Severity::Error));
    json.key("warnings").unsigned_number(sink.count(Severity::Warning));
    json.key("info").unsigned_number(sink.count(Severity::Info));
    json.key("by_code").begin_object();
    for (const auto& [code, count] : sink.totals()) json.key(code).unsigned_number(count);
    json.end_object();
    json.end_object();
    json.key("index_files").begin_object();
    for (const char* name :
         {"Manifest.db", "Manifest.mbdb", "Manifest.plist", "Info.plist", "Status.plist"}) {
        json.key(name);
        digest_or_null(json, file_sha256(file_system, backup.path / name));
    }
    json.end_object();
    json.end_object();
    return json.str() + "\n";
}

OutputFileOptions report_file_options(bool overwrite)
{
    OutputFileOptions options;
    options.access = FileAccess::OwnerOnly;
    options.replace_any = overwrite;
    options.is_own = [](ByteView head, std::uint64_t) {
        return starts_with(head, R"({"type":"entry",)") ||
               starts_with(head, R"({"type":"trailer",)");
    };
    return options;
}

Status write_verify_report(WritableFileSystem& writer, const fs::path& path,
                           const FileSystem& file_system, const Backup& backup,
                           const std::vector<EvidenceEntry>& entries, const VerifyResult& result,
                           const FindingSink& sink, const VerifyReportRun& run, bool overwrite)
{
    std::string text;
    for (const EvidenceEntry& entry : entries) text += render_evidence_line(entry);
    text += render_report_trailer(file_system, backup, result, sink, run);
    return writer.write_output_file(path, as_bytes(text), report_file_options(overwrite));
}

}  // namespace bkcheck
