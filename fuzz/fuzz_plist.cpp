// Fuzzes PlistDocument (XML and binary, through libplist) and every typed getter the backup model
// uses, walking the whole tree with a depth bound.
#include "bkcheck/plist.h"

#include <cstdint>
#include <cstdlib>

namespace {

constexpr std::size_t k_max_input = 1 << 16;
constexpr int k_max_depth = 64;

void walk(bkcheck::PlistNode node, int depth)
{
    if (depth > k_max_depth) return;
    (void)node.string();
    (void)node.integer();
    (void)node.boolean();
    (void)node.data();
    (void)node.date_unix();
    (void)node.uid();
    for (std::size_t i = 0; i < node.size() && i < 1000; ++i) walk(node.at(i), depth + 1);
    for (auto& [key, value] : node.items()) walk(value, depth + 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size > k_max_input) return 0;
    auto document = bkcheck::PlistDocument::parse(bkcheck::ByteView(data, size), "fuzz");
    if (document) walk(document->root(), 0);
    return 0;
}
