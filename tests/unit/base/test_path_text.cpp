// path_text: a path's text in UTF-8 on every platform. The Windows rule (text_of_wide_path) is
// tested here on any platform; the round trip through std::filesystem::path runs on each.
#include "bkcheck/path_text.h"

#include <catch2/catch.hpp>

using namespace bkcheck;
namespace fs = std::filesystem;

TEST_CASE("text_of_wide_path: UTF-8 widened byte by byte is the text", "[path_text]")
{
    // "José" as bkcheck builds it on Windows: each UTF-8 byte one unit.
    CHECK(text_of_wide_path(L"Jos\u00c3\u00a9") == "Jos\xc3\xa9");
}

TEST_CASE("text_of_wide_path: real UTF-16 from the OS is encoded as UTF-8", "[path_text]")
{
    // A Latin-1 character alone is not UTF-8 as a byte, so the units are real UTF-16.
    CHECK(text_of_wide_path(L"Jos\u00e9") == "Jos\xc3\xa9");
    CHECK(text_of_wide_path(L"\u65e5\u672c") == "\xe6\x97\xa5\xe6\x9c\xac");
    // A surrogate pair is one character (U+1F600); one alone becomes U+FFFD.
    const wchar_t pair[] = {0xD83D, 0xDE00, 0};
    CHECK(text_of_wide_path(pair) == "\xf0\x9f\x98\x80");
    const wchar_t lone[] = {L'a', 0xDC00, L'b', 0};
    CHECK(text_of_wide_path(lone) ==
          "a\xef\xbf\xbd"
          "b");
}

TEST_CASE("path_text gives back the UTF-8 a path was built from, joined or not", "[path_text]")
{
    const std::string jose = "Jos\xc3\xa9";
    const std::string japan = "\xe6\x97\xa5\xe6\x9c\xac";
    const std::string separator(1, static_cast<char>(fs::path::preferred_separator));
    CHECK(path_text(fs::path(jose)) == jose);
    CHECK(path_text(fs::path(jose) / japan) == jose + separator + japan);
    CHECK(path_text((fs::path(jose) / japan).filename()) == japan);
    CHECK(generic_path_text(fs::path(jose) / japan) == jose + "/" + japan);
}
