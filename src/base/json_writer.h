// A small streaming JSON writer for the machine-readable output of every verb (--json).
//
// Strings from a backup (paths, device names) may hold bytes that are not UTF-8; JSON requires
// UTF-8, so invalid sequences are written as U+FFFD rather than producing a document no parser
// accepts.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bkcheck {

class JsonWriter {
public:
    explicit JsonWriter(bool pretty = true) : m_pretty(pretty) {}

    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view name);
    JsonWriter& string(std::string_view text);
    JsonWriter& number(std::int64_t value);
    JsonWriter& unsigned_number(std::uint64_t value);
    JsonWriter& boolean(bool value);
    JsonWriter& null();
    // A string, or null when empty: absent plist keys are null, not "".
    JsonWriter& string_or_null(std::string_view text);
    // An ISO 8601 UTC time, or null.
    JsonWriter& time_or_null(std::optional<std::int64_t> unix_seconds);

    // The document so far; complete once every begin_* has its end_*.
    const std::string& str() const { return m_out; }
    // Writes the text so far to `out` and forgets it, so a long array can be streamed (bkcheck ls
    // of a million records); str() then holds only what came after.
    void flush_to(std::ostream& out);

private:
    void before_value();
    void newline_indent();

    std::string m_out;
    bool m_pretty;
    // One entry per open container: whether it already holds an element.
    std::vector<bool> m_has_element;
    bool m_after_key = false;
};

// "2024-05-01T09:30:00Z".
std::string iso8601_utc(std::int64_t unix_seconds);

// Appends `text` to `out` as a JSON string literal (quotes included): control characters (C0, DEL,
// C1) as \u escapes, each byte that is not UTF-8 as U+FFFD (JSON cannot carry it; ls --json adds
// the exact bytes as hex).
void append_json_string(std::string& out, std::string_view text);

}  // namespace bkcheck
