#include "bkcheck/plist.h"

#include <catch2/catch.hpp>

using namespace bkcheck;

namespace {

Bytes hex(std::string_view text)
{
    return *from_hex(text);
}

}  // namespace

TEST_CASE("plist: XML and binary documents with typed getters", "[plist]")
{
    auto xml = PlistDocument::parse(as_bytes(R"(<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict><key>S</key><string>finished</string><key>N</key><integer>42</integer>
<key>B</key><true/><key>D</key><data>AAEC</data><key>T</key><date>2001-01-01T00:00:10Z</date>
<key>A</key><array><string>x</string></array></dict></plist>)"), "Status.plist");
    REQUIRE(xml);
    CHECK_FALSE(xml->is_binary());
    PlistNode root = xml->root();
    CHECK(root["S"].string() == "finished");
    CHECK(root["N"].integer() == 42);
    CHECK(root["S"].integer() == std::nullopt);  // wrong type: nullopt, not a crash
    CHECK(root["B"].boolean() == true);
    CHECK(root["D"].data() == Bytes{0, 1, 2});
    CHECK(root["T"].date_unix() == 978307210);
    CHECK(root["A"].at(0).string() == "x");
    CHECK_FALSE(root["A"].at(1).is_present());
    CHECK_FALSE(root["missing"]["deeper"].is_present());
    CHECK(root.items().size() == 6);
}

TEST_CASE("plist: bad input is Corrupt with the file named", "[plist]")
{
    auto empty = PlistDocument::parse(Bytes(), "Info.plist");
    REQUIRE_FALSE(empty);
    CHECK(empty.error().describe() == "Info.plist: the file is empty");
    auto garbage = PlistDocument::parse(as_bytes("bplist00garbage"), "Info.plist");
    REQUIRE_FALSE(garbage);
    CHECK(garbage.error().code == ErrorCode::Corrupt);
}

// libplist 2.2 aborts on strings or keys holding a NUL (found by fuzz_plist): they must be refused.
TEST_CASE("plist: a NUL inside a string or key is refused, not a crash", "[plist][issue-fuzz]")
{
    const char* binary_with_nul[] = {
        // {"SnapshotState": "fin\0ished"} (ASCII string)
        "62706c6973743030d101025d536e617073686f7453746174655966696e006973686564080b19000000000000010100000000000000030000"
        "0000000000000000000000000023",
        // {"k\0ey": "v"} (a key)
        "62706c6973743030d10102546b0065795176080b1000000000000001010000000000000003000000000000000000000000000000"
        "12",
        // {"SnapshotState": "fé\0"} (UTF-16 string)
        "62706c6973743030d101025d536e617073686f74537461746563006600e90000080b1900000000000001010000000000000003000000"
        "00000000000000000000000020",
    };
    for (const char* text : binary_with_nul) {
        auto document = PlistDocument::parse(hex(text), "Status.plist");
        REQUIRE_FALSE(document);
        CHECK(document.error().message.find("NUL") != std::string::npos);
    }
    auto xml = PlistDocument::parse(as_bytes("<plist><dict><key>a&#x00;b</key><string>v</string></dict></plist>"), "x");
    CHECK_FALSE(xml);
    auto fine = PlistDocument::parse(as_bytes("<plist><dict><key>a&#x41;b</key><string>&#10;</string></dict></plist>"), "x");
    CHECK(fine);
}
