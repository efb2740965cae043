// leaves_its_domain: the record.unsafe_path check (a "..", a leading "/" or a NUL), rewritten as
// one pass over the bytes in issue 27; these are the cases the component-by-component version
// decided.
#include "verify_steps.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using bkcheck::detail::leaves_its_domain;

TEST_CASE("leaves_its_domain: a \"..\" component, a leading \"/\" or a NUL, and nothing else",
          "[verify][issue-27]")
{
    using namespace std::string_literals;
    for (const std::string& path : std::vector<std::string>{
             "..", "../a", "a/..", "a/../b", "a/b/..", "/a", "/", "a\0b"s, "\0"s, "a/../", "../"}) {
        INFO(path);
        CHECK(leaves_its_domain("HomeDomain", path));
    }
    for (const std::string& path :
         std::vector<std::string>{"", ".", "./a", "a/.", "...", "a/...", "..a", "a..", "a/..b",
                                  "a/b..", ".../a", "a/.../b", "a//b", "a/", "Library/Caches"}) {
        INFO(path);
        CHECK_FALSE(leaves_its_domain("HomeDomain", path));
    }
    CHECK(leaves_its_domain("AppDomain-a/b", "x"));
    CHECK(leaves_its_domain("AppDomain\0"s, "x"));
    CHECK(leaves_its_domain("..", "x"));
    CHECK_FALSE(leaves_its_domain("AppDomain-..x", "x"));
}
