// The read-ahead hint asked of macOS (F_RDADVISE) covers a whole small blob and a bounded window of
// a large one; the window must fit F_RDADVISE's int for any file size.
#include "read_ahead.h"

#include <catch2/catch.hpp>

#include <climits>
#include <cstdint>

using namespace bkcheck;

TEST_CASE("read_advice_length: all of a small file, a bounded window of a large one",
          "[read_ahead]")
{
    CHECK(detail::read_advice_length(0) == 0);
    CHECK(detail::read_advice_length(4096) == 4096);
    CHECK(detail::read_advice_length(8u << 20) == (8 << 20));
    CHECK(detail::read_advice_length(std::uint64_t{5} << 40) == (8 << 20));
    CHECK(detail::read_advice_length(std::uint64_t{INT_MAX} + 1) > 0);
}
