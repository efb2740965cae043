// ls: the records of a backup as the index is read, one line each or one JSON document written in
// pieces, so memory stays flat for a million rows.
#include "bkcheck/report.h"
#include "text_format.h"

#include "bytes.h"
#include "json_writer.h"

#include <ostream>

namespace bkcheck {
namespace {

void write_record(JsonWriter& json, const FileRecord& record)
{
    json.begin_object()
        .key("file_id")
        .string(record.file_id)
        .key("domain")
        .string(record.domain)
        .key("path")
        .string(record.relative_path)
        .key("kind")
        .string(file_kind_name(record.kind))
        .key("size")
        .unsigned_number(record.size)
        .key("mode")
        .unsigned_number(record.mode & 07777)
        .key("mtime")
        .time_or_null(record.modified)
        .key("protection_class")
        .unsigned_number(record.protection_class);
    if (record.kind == FileKind::Symlink) json.key("target").string(record.target);
    // JSON strings are UTF-8: a name that is not has U+FFFD in its field above, so its exact bytes
    // follow as hex, and "names_escaped" says where to look.
    bool domain_raw = !is_valid_utf8(record.domain);
    bool path_raw = !is_valid_utf8(record.relative_path);
    bool target_raw = record.kind == FileKind::Symlink && !is_valid_utf8(record.target);
    if (domain_raw || path_raw || target_raw) {
        json.key("names_escaped").boolean(true);
        if (domain_raw) json.key("domain_hex").string(to_hex(as_bytes(record.domain)));
        if (path_raw) json.key("path_hex").string(to_hex(as_bytes(record.relative_path)));
        if (target_raw) json.key("target_hex").string(to_hex(as_bytes(record.target)));
    }
    json.end_object();
}

void write_record(std::ostream& out, const FileRecord& record)
{
    out << terminal_safe(record.domain) << "  " << terminal_safe(record.relative_path) << "  "
        << file_kind_name(record.kind) << "  " << record.size << "  " << human_time(record.modified)
        << "  class " << record.protection_class;
    if (record.kind == FileKind::Symlink) out << "  -> " << terminal_safe(record.target);
    out << "\n";
}

}  // namespace

struct RecordListOutput::Json {
    JsonWriter writer;
};

RecordListOutput::RecordListOutput(std::ostream& out, bool json)
    : m_out(out), m_json(json ? std::make_unique<Json>() : nullptr)
{
}

RecordListOutput::~RecordListOutput() = default;

void RecordListOutput::start_json()
{
    if (m_started) return;
    m_json->writer.begin_object()
        .key("schema_version")
        .unsigned_number(1)
        .key("records")
        .begin_array();
    m_started = true;
}

void RecordListOutput::record(const FileRecord& record)
{
    if (!m_json) {
        write_record(m_out, record);
        return;
    }
    start_json();
    write_record(m_json->writer, record);
    if (++m_listed % 256 == 0) m_json->writer.flush_to(m_out);
}

void RecordListOutput::finish(std::uint64_t unreadable, const Status& read, bool index_damaged)
{
    if (!m_json) return;
    // An index that could not be opened at all has no document: the error says it all.
    if (!read && !m_started) return;
    start_json();
    JsonWriter& json = m_json->writer;
    json.end_array().key("unreadable_rows").unsigned_number(unreadable);
    if (!read) json.key("error").string(read.error().describe());
    json.key("index_damaged").boolean(index_damaged);
    json.end_object().flush_to(m_out);
}

}  // namespace bkcheck
