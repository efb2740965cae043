// Escaping and folding of names for other disks (portable_names.h).
//
// Unicode is covered in a bounded way, without a Unicode library: decompositions and lower cases
// come from a generated table (name_tables.inc: Latin, Greek and Cyrillic, U+00C0-U+04FF and
// U+1E00-U+1FFF) and Hangul syllables decompose by formula. Combining marks are not put in
// canonical order, and characters outside those ranges are compared as they are, so two names that
// a disk would merge only through them are not seen as colliding (README: "Names on other disks").
#include "portable_names.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace bkcheck {
namespace {

struct NameTableEntry {
    std::uint32_t code_point;
    const char* decomposition;  // UTF-8
};

struct CaseEntry {
    std::uint32_t upper;
    std::uint32_t lower;
};

#include "name_tables.inc"

struct Decoded {
    std::uint32_t code_point = 0;
    std::size_t length = 1;
    bool valid = false;
};

// One UTF-8 sequence at `at` (shortest form, no surrogates); an invalid byte is one byte long.
Decoded decode_at(std::string_view text, std::size_t at)
{
    auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[i]); };
    std::uint8_t lead = byte(at);
    if (lead < 0x80) return {lead, 1, true};
    std::size_t length = lead >= 0xF0 && lead <= 0xF4   ? 4
                         : lead >= 0xE0 && lead <= 0xEF ? 3
                         : lead >= 0xC2 && lead <= 0xDF ? 2
                                                        : 0;
    if (length == 0 || at + length > text.size()) return {};
    std::uint32_t code_point = lead & (0x7F >> length);
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(at + i) & 0xC0) != 0x80) return {};
        code_point = (code_point << 6) | (byte(at + i) & 0x3F);
    }
    bool shortest = (length == 3 && code_point >= 0x800) ||
                    (length == 4 && code_point >= 0x10000) || length == 2;
    if (!shortest || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF))
        return {};
    return {code_point, length, true};
}

void append_utf8(std::string& out, std::uint32_t code_point)
{
    if (code_point < 0x80) {
        out += static_cast<char>(code_point);
    } else if (code_point < 0x800) {
        out += static_cast<char>(0xC0 | (code_point >> 6));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else if (code_point < 0x10000) {
        out += static_cast<char>(0xE0 | (code_point >> 12));
        out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (code_point >> 18));
        out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    }
}

std::uint32_t lower_case(std::uint32_t code_point)
{
    if (code_point >= 'A' && code_point <= 'Z') return code_point + ('a' - 'A');
    auto found = std::lower_bound(
        std::begin(k_lower_case), std::end(k_lower_case), code_point,
        [](const CaseEntry& entry, std::uint32_t value) { return entry.upper < value; });
    if (found != std::end(k_lower_case) && found->upper == code_point) return found->lower;
    return code_point;
}

// Appends the canonical decomposition of `code_point` (itself when none is known).
void append_decomposed(std::string& out, std::uint32_t code_point)
{
    // Hangul syllables: Unicode's arithmetic decomposition into leading, vowel and trailing jamo.
    constexpr std::uint32_t s_base = 0xAC00, l_base = 0x1100, v_base = 0x1161, t_base = 0x11A7;
    constexpr std::uint32_t v_count = 21, t_count = 28, s_count = 19 * v_count * t_count;
    if (code_point >= s_base && code_point < s_base + s_count) {
        std::uint32_t index = code_point - s_base;
        append_utf8(out, l_base + index / (v_count * t_count));
        append_utf8(out, v_base + (index % (v_count * t_count)) / t_count);
        if (index % t_count != 0) append_utf8(out, t_base + index % t_count);
        return;
    }
    auto found = std::lower_bound(
        std::begin(k_decompositions), std::end(k_decompositions), code_point,
        [](const NameTableEntry& entry, std::uint32_t value) { return entry.code_point < value; });
    if (found != std::end(k_decompositions) && found->code_point == code_point) {
        out += found->decomposition;
        return;
    }
    append_utf8(out, code_point);
}

std::string decomposed(std::string_view name)
{
    std::string out;
    for (std::size_t at = 0; at < name.size();) {
        Decoded decoded = decode_at(name, at);
        if (decoded.valid)
            append_decomposed(out, decoded.code_point);
        else
            out += name[at];
        at += decoded.length;
    }
    return out;
}

std::string lower_cased(std::string_view name)
{
    std::string out;
    for (std::size_t at = 0; at < name.size();) {
        Decoded decoded = decode_at(name, at);
        if (decoded.valid)
            append_utf8(out, lower_case(decoded.code_point));
        else
            out += name[at];
        at += decoded.length;
    }
    return out;
}

bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return c - 'a' + 10;
}

constexpr std::string_view k_windows_refused = "\\:*?\"<>|";

// CON, PRN, AUX, NUL, COM1-9, LPT1-9 in any case, before the first dot: Windows opens the device.
bool is_windows_device(std::string_view name)
{
    std::string base(name.substr(0, name.find('.')));
    for (char& c : base) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c);
    if (base == "CON" || base == "PRN" || base == "AUX" || base == "NUL") return true;
    return base.size() == 4 && (base.starts_with("COM") || base.starts_with("LPT")) &&
           base[3] >= '1' && base[3] <= '9';
}

// Which bytes of `name` a disk following `rules` would refuse or misread.
std::vector<bool> bytes_to_escape(std::string_view name, const NameRules& rules)
{
    std::vector<bool> escape(name.size(), false);
    bool utf8_only = rules.fold_normalisation || rules.windows_names;
    for (std::size_t at = 0; at < name.size();) {
        Decoded decoded = decode_at(name, at);
        auto byte = static_cast<std::uint8_t>(name[at]);
        if (!decoded.valid) {
            escape[at] = utf8_only;
        } else if (rules.windows_names && decoded.length == 1) {
            escape[at] = byte < 0x20 || k_windows_refused.find(name[at]) != std::string_view::npos;
        }
        at += decoded.length;
    }
    if (rules.windows_names && !name.empty()) {
        if (name.back() == '.' || name.back() == ' ') escape.back() = true;
        // The last letter of the device name ("CO%4E.txt"), so the name keeps its look.
        if (is_windows_device(name)) escape[name.substr(0, name.find('.')).size() - 1] = true;
    }
    // '%' where what follows in the written name could be read as an escape or bkcheck's mark.
    for (std::size_t at = 0; at < name.size(); ++at) {
        if (name[at] != '%' || escape[at]) continue;
        auto literal = [&](std::size_t i) { return i < name.size() && !escape[i]; };
        bool mark = literal(at + 1) && name[at + 1] == '~';
        bool looks_escaped =
            literal(at + 1) && literal(at + 2) && is_hex(name[at + 1]) && is_hex(name[at + 2]);
        escape[at] = mark || looks_escaped;
    }
    return escape;
}

}  // namespace

NameRules portable_name_rules()
{
    NameRules rules;
    rules.fold_case = true;
    rules.fold_normalisation = true;
    rules.windows_names = true;
    return rules;
}

std::string escape_component(std::string_view name, const NameRules& rules)
{
    if (!rules.changes_names()) return std::string(name);
    std::vector<bool> escape = bytes_to_escape(name, rules);
    static constexpr char k_digits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(name.size());
    for (std::size_t at = 0; at < name.size(); ++at) {
        if (!escape[at]) {
            out += name[at];
            continue;
        }
        auto byte = static_cast<std::uint8_t>(name[at]);
        out += '%';
        out += k_digits[byte >> 4];
        out += k_digits[byte & 0xF];
    }
    return out;
}

std::string unescape_component(std::string_view written)
{
    std::string out;
    for (std::size_t at = 0; at < written.size(); ++at) {
        if (written[at] == '%' && at + 2 < written.size() && is_hex(written[at + 1]) &&
            is_hex(written[at + 2])) {
            out += static_cast<char>(hex_value(written[at + 1]) * 16 + hex_value(written[at + 2]));
            at += 2;
            continue;
        }
        out += written[at];
    }
    return out;
}

std::string fold_key(std::string_view name, const NameRules& rules)
{
    std::string key = rules.fold_normalisation ? decomposed(name) : std::string(name);
    return rules.fold_case ? lower_cased(key) : key;
}

std::string stored_form(std::string_view name, const NameRules& rules)
{
    return rules.stores_decomposed ? decomposed(name) : std::string(name);
}

std::string distinct_name(std::string_view written, std::string_view tag)
{
    // The extension: from the last dot, when it is not the first byte (".profile") and is short.
    std::size_t dot = written.rfind('.');
    std::string_view extension;
    if (dot != std::string_view::npos && dot != 0 && written.size() - dot <= 16)
        extension = written.substr(dot);
    std::string_view stem = written.substr(0, written.size() - extension.size());
    std::string mark = "%~" + std::string(tag);
    std::size_t room = k_max_name_bytes - mark.size() - extension.size();
    if (stem.size() > room) {
        std::size_t cut = room;
        auto continuation = [&](std::size_t i) {
            return (static_cast<std::uint8_t>(stem[i]) & 0xC0) == 0x80;
        };
        // Not inside a UTF-8 sequence, not inside a %XX.
        while (cut > 0 &&
               (continuation(cut) || stem[cut - 1] == '%' || (cut >= 2 && stem[cut - 2] == '%')))
            --cut;
        stem = stem.substr(0, cut);
    }
    return std::string(stem) + mark + std::string(extension);
}

}  // namespace bkcheck
