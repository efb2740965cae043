#include "bytes.h"
#include "plist.h"

#include "support/file_contents.h"
#include "support/hostile_plists.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

using namespace bkcheck;
namespace fs = std::filesystem;

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
<key>A</key><array><string>x</string></array></dict></plist>)"),
                                    "Status.plist");
    REQUIRE(xml);
    CHECK_FALSE(xml->is_binary());
    PlistNode root = xml->root();
    CHECK(root["S"].string_value() == "finished");
    CHECK(root["N"].integer() == 42);
    CHECK(root["S"].integer() == std::nullopt);  // wrong type: nullopt, not a crash
    CHECK(root["B"].boolean() == true);
    CHECK(root["D"].data() == Bytes{0, 1, 2});
    CHECK(root["T"].date_unix() == 978307210);
    CHECK(root["A"].at(0).string_value() == "x");
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
        "62706c6973743030d101025d536e617073686f7453746174655966696e006973686564080b1900000000000001"
        "0100000000000000030000"
        "0000000000000000000000000023",
        // {"k\0ey": "v"} (a key)
        "62706c6973743030d10102546b0065795176080b10000000000000010100000000000000030000000000000000"
        "00000000000000"
        "12",
        // {"SnapshotState": "fé\0"} (UTF-16 string)
        "62706c6973743030d101025d536e617073686f74537461746563006600e90000080b1900000000000001010000"
        "000000000003000000"
        "00000000000000000000000020",
    };
    for (const char* text : binary_with_nul) {
        auto document = PlistDocument::parse(hex(text), "Status.plist");
        REQUIRE_FALSE(document);
        CHECK(document.error().message.find("NUL") != std::string::npos);
    }
    auto xml = PlistDocument::parse(
        as_bytes("<plist><dict><key>a&#x00;b</key><string>v</string></dict></plist>"), "x");
    CHECK_FALSE(xml);
    auto fine = PlistDocument::parse(
        as_bytes("<plist><dict><key>a&#x41;b</key><string>&#10;</string></dict></plist>"), "x");
    CHECK(fine);
}

// --- issue 19: bounded plists ------------------------------------------------------------------

namespace {

struct Timed {
    Result<PlistDocument> document;
    double seconds;
};

Timed parse_timed(ByteView bytes)
{
    auto start = std::chrono::steady_clock::now();
    auto document = PlistDocument::parse(bytes, "Info.plist");
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    return {std::move(document), took.count()};
}

// Refused as Corrupt, with `words` in the reason, in well under a second (libplist 2.2 took 57 s
// and 4.2 GB for 24 shared levels, and overflowed the stack at 100,000 levels).
void check_refused(ByteView bytes, std::string_view words)
{
    Timed timed = parse_timed(bytes);
    REQUIRE_FALSE(timed.document);
    CHECK(timed.document.error().code == ErrorCode::Corrupt);
    INFO(timed.document.error().message);
    CHECK(timed.document.error().message.find(words) != std::string::npos);
    CHECK(timed.seconds < 0.5);
}

}  // namespace

TEST_CASE("plist: shared references that would expand beyond the bounds are refused",
          "[plist][issue-19]")
{
    // 10 levels: 2,051 values from 38 objects and references; 24 and 64: past 1,000,000 values.
    check_refused(test::shared_reference_plist(10), "through shared references");
    check_refused(test::shared_reference_plist(24), "more than 1000000 values");
    check_refused(test::shared_reference_plist(64), "more than 1000000 values");
    CHECK(test::shared_reference_plist(64).size() < 400);

    // Two levels stay within 2 values per object or reference, and read as the tree they stand for.
    auto small = PlistDocument::parse(test::shared_reference_plist(2), "Info.plist");
    REQUIRE(small);
    CHECK(small->root()["Applications"].at(1).at(0).string_value() == "leaf");
}

TEST_CASE("plist: a string or number shared by many references is fine", "[plist][issue-19]")
{
    // CoreFoundation writes each equal string or number once: 10,000 references to one object.
    test::BinaryPlistWriter writer(3);
    std::uint64_t leaf = writer.string("same");
    std::uint64_t array = writer.array(std::vector<std::uint64_t>(10'000, leaf));
    auto document = PlistDocument::parse(writer.finish(array), "Info.plist");
    REQUIRE(document);
    CHECK(document->root().size() == 10'000);
    CHECK(document->root().at(9'999).string_value() == "same");
}

TEST_CASE("plist: nesting deeper than 512 levels is refused, binary and XML", "[plist][issue-19]")
{
    // nested_arrays_*(n) has n + 2 levels: the root dict, n arrays, the string.
    CHECK(PlistDocument::parse(test::nested_arrays_plist(k_plist_max_depth - 2), "Info.plist"));
    CHECK(PlistDocument::parse(as_bytes(test::nested_arrays_xml(k_plist_max_depth - 2)),
                               "Info.plist"));
    check_refused(test::nested_arrays_plist(k_plist_max_depth - 1), "more than 512 levels deep");
    check_refused(as_bytes(test::nested_arrays_xml(k_plist_max_depth - 1)),
                  "more than 512 levels deep");
    check_refused(test::nested_arrays_plist(100'000), "more than 512 levels deep");
    check_refused(as_bytes(test::nested_arrays_xml(100'000)), "more than 512 levels deep");
    check_refused(as_bytes(test::nested_arrays_xml(1'000'000)),
                  "more than 512 levels deep");  // crashed before
}

TEST_CASE("plist: more than 1,000,000 values, or deep and wide at once, are refused",
          "[plist][issue-19]")
{
    check_refused(as_bytes(test::wide_xml(k_plist_max_values + 1)), "more than 1000000 values");
    CHECK(PlistDocument::parse(as_bytes(test::wide_xml(1'000)), "x"));

    test::BinaryPlistWriter wide(2);
    std::uint64_t leaf = wide.string("v");
    check_refused(wide.finish(wide.array(std::vector<std::uint64_t>(k_plist_max_values, leaf))),
                  "more than 1000000 values");

    // 400 levels holding 50,000 values: libplist compares each with all its ancestors.
    test::BinaryPlistWriter deep_wide(410);
    std::uint64_t first = deep_wide.next();
    for (std::uint64_t k = 0; k < 400; ++k) deep_wide.array({first + k + 1});
    std::uint64_t bottom_leaf = first + 401;
    deep_wide.array(std::vector<std::uint64_t>(50'000, bottom_leaf));
    deep_wide.string("v");
    check_refused(deep_wide.finish(first), "both deep and wide");
}

TEST_CASE("plist: an object that contains itself is refused", "[plist][issue-19]")
{
    test::BinaryPlistWriter writer(2);
    std::uint64_t inner = writer.next() + 1;
    std::uint64_t outer = writer.array({inner});
    writer.array({outer});  // inner holds outer: a cycle
    check_refused(writer.finish(outer), "contains itself");
}

TEST_CASE("plist: real plists parse within the bounds", "[plist][issue-19][real]")
{
    std::vector<fs::path> roots{fs::path(BKCHECK_TESTDATA_DIR) / "backups"};
    if (!test::real_fixtures().empty()) roots.push_back(test::real_fixtures());
    std::size_t parsed = 0;
    for (const fs::path& root : roots) {
        for (const auto& entry : fs::recursive_directory_iterator(root)) {
            if (!entry.is_regular_file() || entry.path().extension() != ".plist") continue;
            Bytes bytes = test::read_bytes(entry.path());
            if (bytes.empty()) continue;
            INFO(entry.path().string());
            auto document = PlistDocument::parse(bytes, entry.path().string());
            CHECK(document);
            ++parsed;
        }
    }
    CHECK(parsed >= 10);
}

// Writes the hostile seeds of fuzz/corpus/fuzz_plist and fuzz_mbfile from the generators above.
// Run by hand: BKCHECK_FUZZ_CORPUS=fuzz/corpus build/tests/bkcheck_tests '[fuzz-seeds]'
TEST_CASE("write the hostile fuzz seeds", "[.][fuzz-seeds]")
{
    const char* corpus = std::getenv("BKCHECK_FUZZ_CORPUS");
    if (corpus == nullptr) return;
    auto write = [&](const char* target, const char* name, ByteView bytes) {
        std::ofstream(fs::path(corpus) / target / name, std::ios::binary)
            .write(reinterpret_cast<const char*>(bytes.data()),
                   static_cast<std::streamsize>(bytes.size()));
    };
    write("fuzz_plist", "shared-references-3.bplist", test::shared_reference_plist(3));
    write("fuzz_plist", "shared-references-24.bplist", test::shared_reference_plist(24));
    write("fuzz_plist", "nested-arrays-510.bplist", test::nested_arrays_plist(510));
    write("fuzz_plist", "nested-arrays-600.bplist", test::nested_arrays_plist(600));
    write("fuzz_plist", "nested-arrays-600.xml", as_bytes(test::nested_arrays_xml(600)));
    write("fuzz_mbfile", "mbfile-shared-references-3",
          test::mbfile_archive_with(
              5, [](test::BinaryPlistWriter& w) { return test::add_doubling_chain(w, 3); }));
    write("fuzz_mbfile", "mbfile-shared-references-24",
          test::mbfile_archive_with(
              30, [](test::BinaryPlistWriter& w) { return test::add_doubling_chain(w, 24); }));
    write("fuzz_mbfile", "mbfile-nested-arrays-600",
          test::mbfile_archive_with(
              610, [](test::BinaryPlistWriter& w) { return test::add_nested_arrays(w, 600); }));
}
