// How extract writes a backup's names on disks that refuse or merge some of them (README: "Names on
// other disks").
//
// iOS file systems are case- and normalisation-sensitive and refuse only "/" and NUL, so a backup
// can hold sms.db beside SMS.db, "café" in NFC beside "café" in NFD, "a:b", "CON.txt" or "x.". A
// macOS or Windows disk would merge the first two pairs (and one file would replace the other), and
// Windows refuses the rest. Here are the pure rules: which bytes a disk refuses and how they are
// escaped (reversibly), and the key under which a disk takes two names for the same. Where names
// are claimed during a run is output_names.h; how the disk is probed is name_probe.h.
#pragma once

#include <string>
#include <string_view>

namespace bkcheck {

// What the disk a name is written to does with names.
struct NameRules {
    bool fold_case = false;           // takes names differing only in case for the same
    bool fold_normalisation = false;  // takes NFC and NFD spellings for the same (and wants UTF-8)
    bool windows_names = false;       // refuses \ : * ? " < > |, controls, trailing dot or space,
                                      // CON PRN AUX NUL COM1-9 LPT1-9 (any extension), bad UTF-8
    bool stores_decomposed = false;   // keeps names as NFD whatever was asked (HFS+): only how a
                                      // name found on the disk is compared with one bkcheck writes
    // Whether any name can be written other than as it is.
    bool changes_names() const { return fold_case || fold_normalisation || windows_names; }
};

// --names portable: the strictest of Linux, macOS and Windows, for a copy that will travel.
NameRules portable_name_rules();

// The component as it is written under `rules`: each refused byte as %XX (two upper-case hex
// digits), and '%' itself as %25 where it could be read as an escape or a mark (before two hex
// digits or '~'), so unescape_component gives the original back. Unchanged when `rules` change no
// name. A result over 255 bytes is for the caller to shorten (distinct_name).
std::string escape_component(std::string_view name, const NameRules& rules);

// The inverse of escape_component: each %XX (hex digits in either case) back to its byte. A name
// carrying bkcheck's mark "%~" (distinct_name) is not a plain escape: its finding gives the
// original.
std::string unescape_component(std::string_view written);

// The key under which a disk following `rules` takes two names for the same one: the name
// decomposed (table-bound NFD, fold_normalisation) and lower-cased (fold_case). Bounded: see
// portable_names.cpp for which characters are covered.
std::string fold_key(std::string_view name, const NameRules& rules);

// The form in which a name the disk lists is compared with one bkcheck writes, to tell the very
// same name from one the disk only takes for it: the name itself, or its NFD on a disk that
// stores_decomposed (which lists "café" as NFD however it was written).
std::string stored_form(std::string_view name, const NameRules& rules);

// `written` made distinct with bkcheck's mark: "sms.db" -> "sms%~<tag>.db" (before the extension,
// so the file keeps its type), cut at a character boundary (never inside a %XX) so that the result
// fits in 255 bytes. escape_component never yields "%~", so this name is never the escaped name of
// any other record.
std::string distinct_name(std::string_view written, std::string_view tag);

// The longest component every supported disk takes.
inline constexpr std::size_t k_max_name_bytes = 255;

}  // namespace bkcheck
