#include "json_writer.h"

#include "bytes.h"

#include <cassert>
#include <ctime>
#include <ostream>

namespace bkcheck {

void append_json_string(std::string& out, std::string_view text)
{
    static constexpr char k_hex[] = "0123456789abcdef";
    out.push_back('"');
    for (std::size_t i = 0; i < text.size();) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            switch (c) {
                case '"':
                    out += "\\\"";
                    break;
                case '\\':
                    out += "\\\\";
                    break;
                case '\n':
                    out += "\\n";
                    break;
                case '\r':
                    out += "\\r";
                    break;
                case '\t':
                    out += "\\t";
                    break;
                default:
                    if (c < 0x20 || c == 0x7f) {
                        out += "\\u00";
                        out.push_back(k_hex[c >> 4]);
                        out.push_back(k_hex[c & 0xF]);
                    } else {
                        out.push_back(static_cast<char>(c));
                    }
            }
            ++i;
            continue;
        }
        std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) {
            out += "\\ufffd";
            ++i;
        } else if (length == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0) {
            // C1 controls (U+0080-U+009F) as escapes too: the same string, and nothing in the JSON
            // can act on a terminal it is printed to.
            auto low = static_cast<unsigned char>(text[i + 1]);
            out += "\\u00";
            out.push_back(k_hex[low >> 4]);
            out.push_back(k_hex[low & 0xF]);
            i += 2;
        } else {
            out.append(text.substr(i, length));
            i += length;
        }
    }
    out.push_back('"');
}

std::string iso8601_utc(std::int64_t unix_seconds)
{
    std::time_t time = static_cast<std::time_t>(unix_seconds);
    std::tm parts{};
    gmtime_r(&time, &parts);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return buffer;
}

void JsonWriter::newline_indent()
{
    if (!m_pretty) return;
    m_out.push_back('\n');
    m_out.append(2 * m_has_element.size(), ' ');
}

void JsonWriter::before_value()
{
    if (m_after_key) {
        m_after_key = false;
        return;
    }
    if (!m_has_element.empty()) {
        if (m_has_element.back()) m_out.push_back(',');
        m_has_element.back() = true;
        newline_indent();
    }
}

JsonWriter& JsonWriter::begin_object()
{
    before_value();
    m_out.push_back('{');
    m_has_element.push_back(false);
    return *this;
}

JsonWriter& JsonWriter::end_object()
{
    assert(!m_has_element.empty());
    bool had = m_has_element.back();
    m_has_element.pop_back();
    if (had) newline_indent();
    m_out.push_back('}');
    if (m_has_element.empty() && m_pretty) m_out.push_back('\n');
    return *this;
}

JsonWriter& JsonWriter::begin_array()
{
    before_value();
    m_out.push_back('[');
    m_has_element.push_back(false);
    return *this;
}

JsonWriter& JsonWriter::end_array()
{
    assert(!m_has_element.empty());
    bool had = m_has_element.back();
    m_has_element.pop_back();
    if (had) newline_indent();
    m_out.push_back(']');
    if (m_has_element.empty() && m_pretty) m_out.push_back('\n');
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view name)
{
    before_value();
    append_json_string(m_out, name);
    m_out += m_pretty ? ": " : ":";
    m_after_key = true;
    return *this;
}

JsonWriter& JsonWriter::string(std::string_view text)
{
    before_value();
    append_json_string(m_out, text);
    return *this;
}

JsonWriter& JsonWriter::number(std::int64_t value)
{
    before_value();
    m_out += std::to_string(value);
    return *this;
}

JsonWriter& JsonWriter::unsigned_number(std::uint64_t value)
{
    before_value();
    m_out += std::to_string(value);
    return *this;
}

JsonWriter& JsonWriter::boolean(bool value)
{
    before_value();
    m_out += value ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::null()
{
    before_value();
    m_out += "null";
    return *this;
}

JsonWriter& JsonWriter::string_or_null(std::string_view text)
{
    return text.empty() ? null() : string(text);
}

JsonWriter& JsonWriter::time_or_null(std::optional<std::int64_t> unix_seconds)
{
    return unix_seconds ? string(iso8601_utc(*unix_seconds)) : null();
}

void JsonWriter::flush_to(std::ostream& out)
{
    out << m_out;
    m_out.clear();
}

}  // namespace bkcheck
