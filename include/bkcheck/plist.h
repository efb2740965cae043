// Read-only RAII access to property lists (XML or binary "bplist00"), through libplist.
//
// Info.plist, Status.plist and Manifest.plist may each be XML or binary (format.md §2), and every
// MBFile record in Manifest.db is a binary NSKeyedArchiver plist (§3.4). A PlistDocument owns the
// parsed tree; PlistNode is a cheap non-owning view whose getters return nullopt when the node is
// absent or of another type, so callers never dereference a missing key.
#pragma once

#include "bkcheck/bytes.h"
#include "bkcheck/error.h"

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

    std::optional<std::string> string() const;
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

class PlistDocument {
public:
    // Parses XML or binary. `path` only names the file in the error message.
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
