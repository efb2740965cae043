// Read-only RAII access to property lists (XML or binary "bplist00"), through libplist.
//
// Info.plist, Status.plist and Manifest.plist may each be XML or binary (format.md §2), and every
// MBFile record in Manifest.db is a binary NSKeyedArchiver plist (§3.4). A PlistDocument owns the
// parsed tree; PlistNode is a cheap non-owning view whose getters return nullopt when the node is
// absent or of another type, so callers never dereference a missing key.
#pragma once

#include "bytes.h"
#include "bkcheck/status.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bkcheck {

enum class PlistType { None, Boolean, Integer, Real, String, Date, Data, Array, Dict, Uid, Other };

class PlistNode {
public:
    PlistNode() = default;
    explicit PlistNode(void* node) : m_node(node) {}

    PlistType type() const;
    bool is_present() const { return m_node != nullptr; }

    // Not named string(): in src/ that call is a path's, printed through path_text instead (a test
    // greps for it: tests/portability/paths_printed_through_path_text.sh).
    std::optional<std::string> string_value() const;
    std::optional<std::int64_t> integer() const;  // also accepts a real with an integral value
    std::optional<bool> boolean() const;
    std::optional<Bytes> data() const;
    std::optional<std::int64_t> date_unix() const;  // seconds since 1970 UTC
    std::optional<std::uint64_t> uid() const;

    // Dictionary lookup; an absent node when this is not a dict or has no such key.
    PlistNode operator[](const char* key) const;
    // Array element; an absent node when out of range or not an array.
    PlistNode at(std::size_t index) const;
    // Number of elements of an array or dict; 0 otherwise.
    std::size_t size() const;
    // Key/value pairs of a dict in file order; empty otherwise.
    std::vector<std::pair<std::string, PlistNode>> items() const;

    void* raw() const { return m_node; }

private:
    void* m_node = nullptr;
};

// Bounds of every plist bkcheck reads (README "Bounded parsers"). libplist 2.2 copies a binary
// plist's object once per reference to it and recurses once per level, so a 1 KB file that shares
// its objects stands for 2^n values, and a deep one overflows the stack. PlistDocument::parse
// therefore walks the binary object graph (or scans the XML) itself, without recursion, and refuses
// before libplist builds anything when the tree would be deeper than k_plist_max_depth, or hold
// more than k_plist_max_values values, or more than k_plist_values_per_entry values per object and
// reference in a binary file (a file that shares no array or dict expands to one value per
// reference, plus the root: every writer we know, CoreFoundation, plistlib and libplist, shares
// only strings, numbers and data), or when values times levels exceeds
// k_plist_max_values_times_depth (libplist 2.2 compares each binary value with all its ancestors: a
// 1 MB file 510 levels deep and 500,000 values wide took 2 s). The real plists we have hold at most
// 1,301 values, 6 levels deep.
inline constexpr std::size_t k_plist_max_depth = 512;
// libplist 2.2's parsers read 32-bit lengths; refusing very large documents up front also bounds
// the time of the shape checks. Real backup plists are a few MB at most (Info.plist carries app
// icons); 256 MiB leaves room for any real one.
inline constexpr std::size_t k_plist_max_bytes = 256u << 20;
inline constexpr std::uint64_t k_plist_max_values = 1'000'000;
inline constexpr std::uint64_t k_plist_values_per_entry = 2;
inline constexpr std::uint64_t k_plist_max_values_times_depth = 16'000'000;

class PlistDocument {
public:
    // Parses XML or binary within the bounds above: the one entry point for plist bytes from a
    // backup. `path` only names the file in the error message.
    static Result<PlistDocument> parse(ByteView bytes, std::string_view path);

    PlistNode root() const { return PlistNode(m_root.get()); }
    bool is_binary() const { return m_binary; }

private:
    struct Free {
        void operator()(void* node) const;
    };
    std::unique_ptr<void, Free> m_root;
    bool m_binary = false;
};

// Human-readable name of a plist type, for messages ("expected a string, found an integer").
const char* plist_type_name(PlistType type);

}  // namespace bkcheck
