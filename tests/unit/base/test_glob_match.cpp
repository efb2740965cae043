#include "glob_match.h"

#include <catch2/catch.hpp>

#include <string>

#ifndef _WIN32
#include <fnmatch.h>
#endif

using bkcheck::glob_matches;

namespace {

struct Case {
    const char* pattern;
    const char* text;
    bool matches;
};

// clang-format off
const Case k_cases[] = {
    {"", "", true},                 {"", "a", false},
    {"*", "", true},                {"*", "Library/SMS/sms.db", true},
    {"Library/*", "Library/SMS/sms.db", true},   // '*' crosses '/'
    {"*.db", ".hidden.db", true},   // and a leading '.'
    {"*.db", "sms.db-wal", false},  {"*sms*", "Library/SMS/sms.db", true},
    {"a*b*c", "axxbyyc", true},     {"a*b*c", "axxbyy", false},
    {"a**c", "abc", true},          {"*a", "bbbba", true},
    {"?", "", false},               {"?", "x", true},
    {"??", "x", false},             {"a?c", "a/c", true},
    {"[abc]", "b", true},           {"[abc]", "d", false},
    {"[a-c]x", "bx", true},         {"[a-c]x", "dx", false},
    {"[!a-c]", "d", true},          {"[!a-c]", "a", false},
    {"[^a-c]", "d", true},          {"[]]", "]", true},
    {"[!]]", "]", false},           {"[!]]", "a", true},
    {"[a-]", "-", true},            {"[[:digit:]]x", "7x", true},
    {"[[:digit:]]x", "ax", false},  {"[[:upper:][:digit:]]", "Q", true},
    {"[", "[", true},               {"[ab", "[ab", true},
    {"a[", "a[", true},             {"\\*", "*", true},
    {"\\*", "a", false},            {"\\a", "a", true},
    {"a\\", "a\\", false},          {"[\\]]", "]", true},
    {"AppDomainGroup-*", "AppDomainGroup-group.com.example", true},
    {"AppDomainGroup-*", "AppDomain-com.example", false},
    {"HomeDomain", "homedomain", false},
    {"*\xc3\xa9*", "caf\xc3\xa9", true},   // bytes, not characters: UTF-8 matches as written
    {"caf?", "caf\xc3\xa9", false},        // '?' is one byte, as fnmatch in the C locale
    {"caf??", "caf\xc3\xa9", true},
};
// clang-format on

}  // namespace

TEST_CASE("glob_matches gives fnmatch's answers (flags 0, C locale)", "[glob]")
{
    for (const Case& c : k_cases) {
        INFO("pattern '" << c.pattern << "' text '" << c.text << "'");
        CHECK(glob_matches(c.pattern, c.text) == c.matches);
#ifndef _WIN32
        // The table is the platform's own fnmatch's answers: the two must never drift apart.
        CHECK((::fnmatch(c.pattern, c.text, 0) == 0) == c.matches);
#endif
    }
}

TEST_CASE("glob_matches treats a NUL as an ordinary byte", "[glob]")
{
    std::string text("Library\0x", 9);
    CHECK(glob_matches("Library*", text));
    CHECK_FALSE(glob_matches("Library", text));
    CHECK(glob_matches(std::string("*\0x", 3), text));
}

TEST_CASE("glob_matches backtracks over many stars without blowing up", "[glob]")
{
    std::string text(2000, 'a');
    CHECK_FALSE(glob_matches("*a*a*a*a*a*a*a*a*b", text));
    CHECK(glob_matches("*a*a*a*a*a*a*a*a*a", text));
}
