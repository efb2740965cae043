// Fuzzes PlistDocument (XML and binary, through libplist) and every typed getter the backup model
// uses, walking the whole tree (at most k_plist_max_depth levels). Invariant (repair rewrites
// Info.plist and Status.plist so): a document whose root is a dict, copied key by key into a
// PlistBuilder and written as binary, parses back to an identical tree - same types, values, keys
// and order - when its keys and strings are UTF-8 text, as Apple's always are (libplist drops the
// bytes of invalid UTF-8 when it writes a string, and a bplist can hold such bytes in an "ASCII"
// string) and its root names each key once (the builder sets by key, so a repeated key collapses to
// one entry).
#include "bytes.h"
#include "plist.h"
#include "plist_writer.h"

#include <plist/plist.h>

#include <bit>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>

namespace {

constexpr std::size_t k_max_input = 1 << 16;
// The whole tree: PlistDocument refuses plists deeper than k_plist_max_depth. (At 64, a string with
// invalid UTF-8 below level 64 escaped is_text and failed the round trip, libplist's writer
// dropping its bytes: regressions/fuzz_plist/deep-invalid-utf8.)
constexpr int k_max_depth = static_cast<int>(bkcheck::k_plist_max_depth);

void walk(bkcheck::PlistNode node, int depth)
{
    if (depth > k_max_depth) return;
    (void)node.string_value();
    (void)node.integer();
    (void)node.boolean();
    (void)node.data();
    (void)node.date_unix();
    (void)node.uid();
    for (std::size_t i = 0; i < node.size() && i < 1000; ++i) walk(node.at(i), depth + 1);
    for (auto& [key, value] : node.items()) walk(value, depth + 1);
}

// Reals and dates are compared bit for bit (NaN included): the binary format stores the double.
std::uint64_t real_bits(bkcheck::PlistNode node)
{
    double value = 0;
    plist_get_real_val(static_cast<plist_t>(node.raw()), &value);
    return std::bit_cast<std::uint64_t>(value);
}

bool is_text(bkcheck::PlistNode node, int depth)
{
    if (depth > k_max_depth) return true;
    if (auto text = node.string_value(); text && !bkcheck::is_valid_utf8(*text)) return false;
    for (std::size_t i = 0; i < node.size() && node.type() == bkcheck::PlistType::Array; ++i) {
        if (!is_text(node.at(i), depth + 1)) return false;
    }
    for (auto& [key, value] : node.items()) {
        if (!bkcheck::is_valid_utf8(key) || !is_text(value, depth + 1)) return false;
    }
    return true;
}

bool same_tree(bkcheck::PlistNode a, bkcheck::PlistNode b, int depth)
{
    if (depth > k_max_depth) return true;  // walk() stops here too; deeper trees are not compared
    if (a.type() != b.type() || a.string_value() != b.string_value() ||
        a.integer() != b.integer() || a.boolean() != b.boolean() || a.data() != b.data() ||
        a.uid() != b.uid() || a.size() != b.size()) {
        return false;
    }
    if (a.type() == bkcheck::PlistType::Real && real_bits(a) != real_bits(b)) return false;
    if (a.type() == bkcheck::PlistType::Date) {
        std::int32_t a_sec = 0, a_usec = 0, b_sec = 0, b_usec = 0;
        plist_get_date_val(static_cast<plist_t>(a.raw()), &a_sec, &a_usec);
        plist_get_date_val(static_cast<plist_t>(b.raw()), &b_sec, &b_usec);
        if (a_sec != b_sec || a_usec != b_usec) return false;
    }
    for (std::size_t i = 0; i < a.size() && a.type() == bkcheck::PlistType::Array; ++i) {
        if (!same_tree(a.at(i), b.at(i), depth + 1)) return false;
    }
    auto a_items = a.items();
    auto b_items = b.items();
    if (a_items.size() != b_items.size()) return false;
    for (std::size_t i = 0; i < a_items.size(); ++i) {
        if (a_items[i].first != b_items[i].first ||
            !same_tree(a_items[i].second, b_items[i].second, depth + 1)) {
            return false;
        }
    }
    return true;
}

void check_round_trip(const bkcheck::PlistDocument& document)
{
    bkcheck::PlistNode root = document.root();
    if (root.type() != bkcheck::PlistType::Dict)
        return;  // the builder writes dicts, as backups' plists are
    if (!is_text(root, 0)) return;
    std::set<std::string> keys;
    for (auto& [key, value] : root.items()) {
        if (!keys.insert(key).second) return;
    }
    bkcheck::PlistBuilder builder;
    for (auto& [key, value] : root.items()) builder.set_copy(key.c_str(), value);
    bkcheck::Bytes written = builder.serialize(bkcheck::PlistEncoding::Binary);
    auto again = bkcheck::PlistDocument::parse(written, "rewritten");
    if (!again || !same_tree(root, again->root(), 0)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size > k_max_input) return 0;
    auto document = bkcheck::PlistDocument::parse(bkcheck::ByteView(data, size), "fuzz");
    if (!document) return 0;
    walk(document->root(), 0);
    check_round_trip(*document);
    return 0;
}
