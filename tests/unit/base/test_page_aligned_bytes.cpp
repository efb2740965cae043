#include "page_aligned_bytes.h"

#include <catch2/catch.hpp>

#include <cstdint>

using bkcheck::k_read_buffer_alignment;
using bkcheck::PageAlignedBytes;

namespace {

bool on_page_boundary(const PageAlignedBytes& bytes)
{
    return reinterpret_cast<std::uintptr_t>(bytes.data()) % k_read_buffer_alignment == 0;
}

}  // namespace

// A plain std::vector of a megabyte starts 16 bytes past a page boundary with glibc (malloc's
// header), where the kernel's copy of a read is several times slower on AMD Zen.
TEST_CASE("page-aligned bytes start on a 4 KiB boundary at every size and after growing")
{
    for (std::size_t size : {std::size_t{1}, std::size_t{4097}, std::size_t{1} << 20}) {
        PageAlignedBytes bytes(size);
        CHECK(on_page_boundary(bytes));
        CHECK(bytes.size() == size);
        CHECK(bytes[size - 1] == 0);  // value-initialised, as Bytes is
    }
    PageAlignedBytes grown(4096);
    grown.resize(std::size_t{3} << 20);
    CHECK(on_page_boundary(grown));
    PageAlignedBytes copy = grown;
    CHECK(on_page_boundary(copy));
}
