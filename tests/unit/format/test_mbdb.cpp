#include "mbdb.h"

#include "support/file_contents.h"
#include "support/sample_records.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <set>

using namespace bkcheck;
namespace fs = std::filesystem;

TEST_CASE("mbdb: serialize then parse gives the same records", "[mbdb]")
{
    auto records = test::sample_records();
    Bytes bytes = serialize_mbdb(records);
    auto index = parse_mbdb(bytes, "Manifest.mbdb");
    REQUIRE(index);
    CHECK(index->index_problems.empty());
    REQUIRE(index->records.size() == records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
        const FileRecord& got = index->records[i];
        CHECK(got.domain == records[i].domain);
        CHECK(got.relative_path == records[i].relative_path);
        CHECK(got.file_id == records[i].file_id);
        CHECK(got.kind == records[i].kind);
        CHECK(got.flags == records[i].flags);
        CHECK(test::same_attributes(got, records[i]));
    }
}

TEST_CASE("mbdb: a wrong header is an error naming the file", "[mbdb]")
{
    Bytes bytes = serialize_mbdb(test::sample_records());
    bytes[4] = 4;
    auto index = parse_mbdb(bytes, "x/Manifest.mbdb");
    REQUIRE_FALSE(index);
    CHECK(index.error().code == ErrorCode::Corrupt);
    CHECK(index.error().describe().rfind("x/Manifest.mbdb: not a Manifest.mbdb", 0) == 0);
    CHECK_FALSE(parse_mbdb(Bytes(), "m"));
}

TEST_CASE("mbdb: truncated at every offset keeps the whole records before the cut", "[mbdb]")
{
    auto records = test::sample_records();
    Bytes bytes = serialize_mbdb(records);
    // Where each record ends, to know how many whole records a prefix holds.
    std::set<std::size_t> record_ends;
    for (std::size_t n = 1; n <= records.size(); ++n) {
        record_ends.insert(
            serialize_mbdb({records.begin(), records.begin() + static_cast<long>(n)}).size());
    }
    for (std::size_t cut = 6; cut < bytes.size(); ++cut) {
        auto index = parse_mbdb(ByteView(bytes.data(), cut), "m");
        REQUIRE(index);
        std::size_t whole = 0;
        for (std::size_t end : record_ends) whole += end <= cut ? 1 : 0;
        CHECK(index->records.size() == whole);
        bool at_boundary =
            cut == 6 || record_ends.count(cut) != 0;  // 6: the header alone, no record
        CHECK(index->index_problems.size() == (at_boundary ? 0u : 1u));
    }
}

TEST_CASE("mbdb: a huge length field is a problem, not an allocation", "[mbdb]")
{
    Bytes bytes = {'m', 'b', 'd', 'b', 5, 0, 0xFF, 0xFE, 'x'};
    auto index = parse_mbdb(bytes, "m");
    REQUIRE(index);
    CHECK(index->records.empty());
    REQUIRE(index->index_problems.size() == 1);
    CHECK(index->index_problems[0].find("record 1 at byte 6") != std::string::npos);
}

TEST_CASE("mbdb: the real iOS 9.3.6 index", "[mbdb][real]")
{
    fs::path fixtures = test::real_fixtures();
    if (fixtures.empty()) {
        WARN("skipped: ../shared/fixtures/real is not present");
        return;
    }
    fs::path file = fixtures / "hackvent2020-ios9-encrypted" /
                    "65195ba5-2dac-49a4-9606-c9d8733bebcf" / "Manifest.mbdb";
    Bytes bytes = test::read_bytes(file);
    auto index = parse_mbdb(bytes, file.string());
    REQUIRE(index);
    CHECK(index->index_problems.empty());
    REQUIRE(index->records.size() == 757);
    std::size_t files = 0, directories = 0, links = 0, digests = 0;
    std::set<std::string> domains;
    for (const FileRecord& record : index->records) {
        files += record.kind == FileKind::File;
        directories += record.kind == FileKind::Directory;
        links += record.kind == FileKind::Symlink;
        digests += record.digest.size() == 20;
        domains.insert(record.domain);
        if (record.kind == FileKind::File) CHECK(record.encryption_key.size() == 44);
    }
    CHECK(files == 321);
    CHECK(directories == 429);
    CHECK(links == 7);
    CHECK(domains.size() == 97);
    CHECK(digests == 264);
    // Re-serializing gives the original bytes: the writer matches Apple's layout exactly.
    CHECK(serialize_mbdb(index->records) == bytes);
}
