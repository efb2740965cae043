// terminal_safe: what every text printer does to a name from a backup before it reaches a terminal.
#include "bkcheck/report.h"
#include "bytes.h"
#include "json_writer.h"

#include <catch2/catch.hpp>

using namespace bkcheck;

TEST_CASE("terminal_safe keeps plain and non-ASCII names as they are", "[report]")
{
    CHECK(terminal_safe("") == "");
    CHECK(terminal_safe("Library/Preferences/com.apple.x.plist") ==
          "Library/Preferences/com.apple.x.plist");
    CHECK(terminal_safe("Ann\xe2\x80\x99s iPhone") == "Ann\xe2\x80\x99s iPhone");  // U+2019
    CHECK(terminal_safe("\xe5\x86\x99\xe7\x9c\x9f.jpg") == "\xe5\x86\x99\xe7\x9c\x9f.jpg");  // CJK
    CHECK(terminal_safe("\xf0\x9f\x93\xb1") == "\xf0\x9f\x93\xb1");  // U+1F4F1, 4 bytes
    CHECK(terminal_safe("\xc2\xa0nbsp") == "\xc2\xa0nbsp");          // U+00A0: not C1
    CHECK(terminal_safe("back\\slash") == "back\\slash");
}

TEST_CASE("terminal_safe escapes C0, DEL, C1 and bytes that are not UTF-8", "[report]")
{
    CHECK(terminal_safe("a\nb") == "a\\nb");
    CHECK(terminal_safe("a\rb\tc") == "a\\rb\\tc");
    CHECK(terminal_safe("\x1b[2J\x1b]0;title\x07") == "\\x1b[2J\\x1b]0;title\\x07");
    CHECK(terminal_safe(std::string("nul\0here", 8)) == "nul\\x00here");
    CHECK(terminal_safe("del\x7f") == "del\\x7f");
    CHECK(terminal_safe("\x1f") == "\\x1f");
    // C1 controls written in UTF-8 (U+009B is CSI on many terminals), and the first and last of
    // them.
    CHECK(terminal_safe("\xc2\x9b"
                        "31m") == "\\u009b31m");
    // Bidi overrides and isolates, zero-width marks and the BOM: a name that reads backwards or
    // hides.
    CHECK(terminal_safe("evil\xe2\x80\xaetxt.exe") == "evil\\u202etxt.exe");
    CHECK(terminal_safe("a\xe2\x81\xa6"
                        "b\xe2\x80\x8b"
                        "c\xef\xbb\xbf") == "a\\u2066b\\u200bc\\ufeff");
    CHECK(terminal_safe("\xc2\x80\xc2\x9f") == "\\u0080\\u009f");
    // Not UTF-8: a lone C1 byte, a lone continuation, a truncated sequence, an overlong '/', a
    // surrogate.
    CHECK(terminal_safe("\x9b"
                        "31m") == "\\x9b31m");
    CHECK(terminal_safe("caf\xe9") == "caf\\xe9");
    CHECK(terminal_safe("\xe2\x80") == "\\xe2\\x80");
    CHECK(terminal_safe("\xc0\xaf") == "\\xc0\\xaf");
    CHECK(terminal_safe("\xed\xa0\x80") == "\\xed\\xa0\\x80");
    CHECK(terminal_safe("\xff\xfe ok \xe2\x80\x99") == "\\xff\\xfe ok \xe2\x80\x99");
}

TEST_CASE("terminal_safe output never holds a byte a terminal acts on, for any byte", "[report]")
{
    std::string every;
    for (int byte = 0; byte < 256; ++byte) every.push_back(static_cast<char>(byte));
    std::string safe = terminal_safe(every + "\xc2\x85\xc2\x9b\xe2\x80\x99");
    for (char c : safe) {
        auto byte = static_cast<unsigned char>(c);
        CHECK((byte >= 0x20 && byte != 0x7f));
    }
    CHECK(is_valid_utf8(safe));
    CHECK(safe.find("\xc2\x85") == std::string::npos);
    CHECK(safe.find("\xc2\x9b") == std::string::npos);
}

TEST_CASE("JSON strings escape DEL and C1 too: the same string, nothing raw a terminal acts on",
          "[report]")
{
    std::string out;
    append_json_string(out, "a\x1b[2J\x7f\xc2\x9b\xc2\xa0\n");
    CHECK(out == "\"a\\u001b[2J\\u007f\\u009b\xc2\xa0\\n\"");
}
