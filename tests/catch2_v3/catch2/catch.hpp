// Catch2 v3 in place of v2's single header, which the tests include: v3 split it into many headers
// (catch_all.hpp includes them all) and dropped catch.hpp. Only on the include path when CMake
// found v3 (tests/CMakeLists.txt); the macros the tests use (TEST_CASE, SECTION, CHECK, REQUIRE,
// GENERATE) are the same in both.
#pragma once

#include <catch2/catch_all.hpp>
