// path_text: a path's text in UTF-8 on every platform, and the text around it: shell_quote, text
// files saved as UTF-16. The Windows rule (text_of_wide_path) is tested here on any platform; the
// round trip through std::filesystem::path runs on each.
#include "bkcheck/findings.h"
#include "bkcheck/path_text.h"
#include "bytes.h"

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

TEST_CASE("shell_quote: a word each platform's shells read back as the path", "[path_text]")
{
    CHECK(shell_quote(fs::path("/home/ann/Backup")) == "/home/ann/Backup");
#ifdef _WIN32
    // cmd.exe and PowerShell: double quotes; a backslash before the closing quote doubled.
    CHECK(shell_quote(fs::path("C:\\Users\\Ann's Backups")) == "\"C:\\Users\\Ann's Backups\"");
    CHECK(shell_quote(fs::path("C:\\")) == "\"C:\\\\\"");
#else
    CHECK(shell_quote(fs::path("/home/ann/Ann's Backups")) == "'/home/ann/Ann'\\''s Backups'");
#endif
}

TEST_CASE("text_file_as_utf8: a password file as Notepad or PowerShell saved it", "[path_text]")
{
    const std::string jose = "Jos\xc3\xa9";
    const Bytes plain{'J', 'o', 's', 0xC3, 0xA9};
    const Bytes with_bom{0xEF, 0xBB, 0xBF, 'J', 'o', 's', 0xC3, 0xA9};
    const Bytes utf16le{0xFF, 0xFE, 'J', 0, 'o', 0, 's', 0, 0xE9, 0, '\r', 0, '\n', 0};
    const Bytes utf16be{0xFE, 0xFF, 0, 'J', 0, 'o', 0, 's', 0, 0xE9};
    CHECK(text_file_as_utf8(plain) == jose);
    CHECK(text_file_as_utf8(with_bom) == jose);
    CHECK(text_file_as_utf8(utf16le) == jose + "\r\n");
    CHECK(text_file_as_utf8(utf16be) == jose);
}
