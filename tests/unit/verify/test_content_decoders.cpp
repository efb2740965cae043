// verify --deep decoders on their own (content_check.h): each sound sample passes, and each damage
// a decoder claims to catch is caught, with the finding that says what it means.
#include "bkcheck/findings.h"
#include "content_check.h"
#include "file_system_vfs.h"

#include "make_backup/sample_content.h"

#include <sqlite3.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>

using namespace bkcheck;
using namespace bkcheck::detail;

namespace {

ContentCheck check(const Bytes& bytes, std::string_view name = "file")
{
    auto source = memory_source(bytes);
    Bytes window;
    return check_content(*source, name, window);
}

Bytes cut(Bytes bytes, std::size_t keep)
{
    bytes.resize(keep);
    return bytes;
}

std::size_t find(const Bytes& bytes, std::string_view what, std::size_t from = 0)
{
    Bytes needle(what.begin(), what.end());
    auto it = std::search(bytes.begin() + static_cast<std::ptrdiff_t>(from), bytes.end(),
                          needle.begin(), needle.end());
    REQUIRE(it != bytes.end());
    return static_cast<std::size_t>(it - bytes.begin());
}

}  // namespace

TEST_CASE("deep: sound samples of every type decode", "[verify][deep]")
{
    struct Sample {
        Bytes bytes;
        ContentType type;
        const char* name;
    };
    Sample samples[] = {
        {testgen::sample_sqlite(500, 1), ContentType::Sqlite, "Library/SMS/sms.db"},
        {testgen::sample_sqlite(500, 1, false), ContentType::Sqlite, "x.sqlitedb"},
        {testgen::sample_plist(true, true), ContentType::BinaryPlist, "a.plist"},
        {testgen::sample_plist(false, false), ContentType::XmlPlist, "b.plist"},
        {testgen::sample_plist(true, false), ContentType::XmlPlist, "c.plist"},
        {testgen::sample_jpeg(200'000, 1), ContentType::Jpeg, "IMG_0001.JPG"},
        {testgen::sample_png(150'000, 1), ContentType::Png, "a.png"},
        {testgen::sample_movie(300'000, 1), ContentType::IsoMedia, "IMG_0002.MP4"},
        {testgen::sample_movie(300'000, 1, true), ContentType::IsoMedia, "IMG_0003.MOV"},
        {testgen::sample_heic(100'000, 1), ContentType::Heif, "IMG_0004.HEIC"},
    };
    for (const Sample& sample : samples) {
        INFO(sample.name);
        ContentCheck result = check(sample.bytes, sample.name);
        CHECK(result.type == sample.type);
        CHECK(result.outcome.code.empty());
        CHECK(result.outcome.message.empty());
        CHECK(result.outcome.decoded);
        CHECK(result.mismatch.empty());
    }
}

TEST_CASE("deep: a zeroed page in a database is content.sqlite_corrupt", "[verify][deep]")
{
    Bytes db = testgen::sample_sqlite(2000, 2);
    REQUIRE(db.size() > 10 * 4096);
    for (std::size_t page : {2u, 5u}) {
        Bytes damaged = db;
        std::fill_n(damaged.begin() + static_cast<std::ptrdiff_t>(page * 4096), 4096, 0);
        ContentCheck result = check(damaged);
        INFO(result.outcome.message);
        CHECK(result.outcome.code == finding_code::content_sqlite_corrupt);
        CHECK_FALSE(result.outcome.decoded);
    }
    // Cut off: the header's page count exceeds the file.
    ContentCheck truncated = check(cut(db, db.size() / 2));
    CHECK(truncated.outcome.code == finding_code::content_sqlite_corrupt);
}

TEST_CASE("deep: broken property lists are content.plist_unreadable", "[verify][deep]")
{
    Bytes binary = testgen::sample_plist(false, true);
    CHECK(check(cut(binary, binary.size() - 10)).outcome.code ==
          finding_code::content_plist_unreadable);
    Bytes xml = testgen::sample_plist(false, false);
    CHECK(check(cut(xml, xml.size() - 20)).outcome.code == finding_code::content_plist_unreadable);
    // An archive whose UID points past $objects: the app cannot unarchive it.
    Bytes keyed = testgen::sample_plist(true, false);
    std::string text(keyed.begin(), keyed.end());
    std::size_t uid = text.find("<key>CF$UID</key>");
    REQUIRE(uid != std::string::npos);
    std::size_t value = text.find("<integer>", uid) + 9;
    text.replace(value, text.find('<', value) - value, "77");
    ContentCheck dangling = check(Bytes(text.begin(), text.end()));
    INFO(dangling.outcome.message);
    CHECK(dangling.outcome.code == finding_code::content_plist_unreadable);
    CHECK(dangling.outcome.message.find("object 77 of 4") != std::string::npos);
}

TEST_CASE("deep: truncated or broken photos and videos", "[verify][deep]")
{
    Bytes jpeg = testgen::sample_jpeg(100'000, 3, false);
    CHECK(check(cut(jpeg, jpeg.size() - 2)).outcome.code == finding_code::content_media_truncated);
    CHECK(check(cut(jpeg, jpeg.size() / 2)).outcome.code == finding_code::content_media_truncated);
    CHECK(check(cut(jpeg, 100)).outcome.code == finding_code::content_media_truncated);
    Bytes bad_segment = jpeg;
    bad_segment[find(jpeg, "\xFF\xDB") + 2] = 0xF0;  // DQT length past the end of the file
    CHECK(check(bad_segment).outcome.code != std::string_view());

    Bytes png = testgen::sample_png(100'000, 3);
    CHECK(check(cut(png, png.size() - 12)).outcome.code == finding_code::content_media_truncated);
    Bytes flipped = png;
    flipped[png.size() / 2] ^= 0x01;  // inside an IDAT: its CRC fails
    CHECK(check(flipped).outcome.code == finding_code::content_media_corrupt);

    Bytes movie = testgen::sample_movie(200'000, 3);
    CHECK(check(cut(movie, movie.size() - 1000)).outcome.code ==
          finding_code::content_media_truncated);
    Bytes quicktime = testgen::sample_movie(200'000, 3, true);  // moov at the end
    std::size_t moov = find(quicktime, "moov") - 4;
    CHECK(check(cut(quicktime, moov)).outcome.code == finding_code::content_media_truncated);
    CHECK(check(cut(quicktime, moov + 20)).outcome.code == finding_code::content_media_truncated);
    Bytes inner = movie;
    inner[find(movie, "trak") - 1] = 0xF0;  // trak larger than the moov holding it
    CHECK(check(inner).outcome.code == finding_code::content_media_corrupt);

    Bytes heic = testgen::sample_heic(100'000, 3);
    CHECK(check(cut(heic, heic.size() - 1)).outcome.code == finding_code::content_media_truncated);
}

TEST_CASE("deep: zero padding after a movie's last box is not truncation (trial)", "[verify][deep]")
{
    for (bool quicktime : {false, true}) {
        Bytes movie = testgen::sample_movie(200'000, 6, quicktime);
        for (std::size_t zeros : {1, 4, 7}) {
            INFO(quicktime << " " << zeros);
            Bytes padded = movie;
            padded.insert(padded.end(), zeros, 0);  // QuickTime's 4-byte "size 0" terminator
            ContentCheck result = check(padded);
            CHECK(result.outcome.decoded);
            CHECK(result.outcome.code.empty());
        }
        // Bytes that are not zero where a box should start are still a box cut short, and so is
        // padding after a box that lost its end.
        Bytes stray = movie;
        stray.insert(stray.end(), {0, 0, 0x10, 0});
        CHECK(check(stray).outcome.code == finding_code::content_media_truncated);
        Bytes cut_then_padded = cut(movie, movie.size() - 1000);
        cut_then_padded.insert(cut_then_padded.end(), 4, 0);
        CHECK(check(cut_then_padded).outcome.code == finding_code::content_media_truncated);
    }
}

TEST_CASE("deep: the type is told by the content; a misleading name is only a warning",
          "[verify][deep]")
{
    ContentCheck jpeg_named_heic = check(testgen::sample_jpeg(10'000, 4), "IMG_0001.HEIC");
    CHECK(jpeg_named_heic.type == ContentType::Jpeg);
    CHECK(jpeg_named_heic.outcome.decoded);
    CHECK(jpeg_named_heic.mismatch ==
          "the name says HEIC/HEIF image, the content is JPEG image and was checked as one (a file "
          "saved under another type's name is not damage by itself)");
    // A database named .txt or with no extension is still checked as a database.
    ContentCheck db = check(testgen::sample_sqlite(100, 4), "Library/Caches/cache");
    CHECK(db.type == ContentType::Sqlite);
    CHECK(db.outcome.decoded);
    CHECK(db.mismatch.empty());
    // Unknown content stays unchecked, with no finding.
    Bytes text(5000, 'a');
    ContentCheck unknown = check(text, "notes.txt");
    CHECK(unknown.type == ContentType::Unknown);
    CHECK_FALSE(unknown.outcome.decoded);
    CHECK(unknown.outcome.code.empty());
    // An XML file that is no plist is not taken for one.
    std::string svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
    CHECK(check(Bytes(svg.begin(), svg.end()), "a.svg").type == ContentType::Unknown);
}

TEST_CASE("deep: a name whose type's signature is gone says the content may be damaged (trial)",
          "[verify][deep]")
{
    // A database and a photo whose first bytes were zeroed: nothing decodes them, so they stay
    // unchecked (level length) with a warning, but one that says what the person needs to know.
    Bytes db = testgen::sample_sqlite(200, 5);
    std::fill_n(db.begin(), 100, 0);
    ContentCheck zeroed = check(db, "Library/SMS/sms.db.sqlite");
    CHECK(zeroed.type == ContentType::Unknown);
    CHECK_FALSE(zeroed.outcome.decoded);
    CHECK(zeroed.outcome.code.empty());
    CHECK(zeroed.mismatch ==
          "the name says SQLite database, but its first 16 bytes are zeros where the signature "
          "must be: the start of the file is very likely damaged. If it is damaged, the app will "
          "not be able to open it after a restore and what it held is lost or partly lost; its "
          "content could not be checked (level length)");
    Bytes jpeg = testgen::sample_jpeg(20'000, 5);
    jpeg[0] = 'X';
    ContentCheck overwritten = check(jpeg, "Media/DCIM/100APPLE/IMG_0001.JPG");
    CHECK(overwritten.type == ContentType::Unknown);
    CHECK(overwritten.mismatch.find("the start of the file may be damaged") != std::string::npos);
    CHECK(overwritten.mismatch.find("after a restore") != std::string::npos);
}

TEST_CASE("deep: every prefix of each sample is answered without a crash", "[verify][deep]")
{
    // Truncation at every offset (step 7): never sound with part of the structure missing, except
    // where the cut falls in bytes the decoder is not meant to read (after a JPEG's EOI).
    for (const Bytes& sample : {testgen::sample_png(3000, 5), testgen::sample_movie(3000, 5),
                                testgen::sample_heic(2000, 5), testgen::sample_jpeg(3000, 5, false),
                                testgen::sample_plist(true, true)}) {
        for (std::size_t keep = 1; keep + 1 < sample.size(); keep += 7) {
            ContentCheck result = check(cut(sample, keep));
            INFO("a sample of " << sample.size() << " bytes cut to " << keep);
            CHECK_FALSE(result.outcome.decoded);
        }
    }
}

namespace {

// A sound database whose index uses a collation only the app registers (iOS apps have their own,
// e.g. LOCALIZED): SQLite here cannot run quick_check over that index.
Bytes database_with_app_collation()
{
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK);
    auto compare = [](void*, int a_size, const void* a, int b_size, const void* b) {
        int common = std::memcmp(a, b, static_cast<std::size_t>(std::min(a_size, b_size)));
        return common != 0 ? common : a_size - b_size;
    };
    sqlite3_create_collation(db, "APPONLY", SQLITE_UTF8, nullptr, compare);
    REQUIRE(sqlite3_exec(db,
                         "CREATE TABLE t(a TEXT); CREATE INDEX i ON t(a COLLATE APPONLY);"
                         "INSERT INTO t VALUES ('x'), ('y'), ('z');",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_int64 size = 0;
    unsigned char* image = sqlite3_serialize(db, "main", &size, 0);
    REQUIRE(image != nullptr);
    Bytes bytes(image, image + size);
    sqlite3_free(image);
    sqlite3_close(db);
    return bytes;
}

}  // namespace

TEST_CASE("deep: what bkcheck cannot check is never called damaged (trial)", "[verify][deep]")
{
    // A collation of the app: unchecked (level length), not content.sqlite_corrupt.
    ContentCheck collation = check(database_with_app_collation(), "Contacts.sqlitedb");
    CHECK(collation.type == ContentType::Sqlite);
    CHECK_FALSE(collation.outcome.decoded);
    CHECK(collation.outcome.code.empty());

    // A plist beyond bkcheck's nesting bound may be sound: unchecked, not unreadable.
    std::string deep = "<?xml version=\"1.0\"?><plist version=\"1.0\">";
    for (int i = 0; i < 600; ++i) deep += "<array>";
    for (int i = 0; i < 600; ++i) deep += "</array>";
    deep += "</plist>";
    ContentCheck nested = check(Bytes(deep.begin(), deep.end()), "deep.plist");
    CHECK_FALSE(nested.outcome.decoded);
    CHECK(nested.outcome.code.empty());

    // A UTF-8 byte order mark before an XML plist, which Apple's parser reads.
    Bytes plist = testgen::sample_plist(false, false);
    plist.insert(plist.begin(), {0xEF, 0xBB, 0xBF});
    CHECK(check(plist, "bom.plist").outcome.decoded);
}

TEST_CASE("deep: a HEIF image whose pixels are in its meta box's idat is sound", "[verify][deep]")
{
    Bytes heic = testgen::sample_heic(2000, 7);
    std::size_t mdat = find(heic, "mdat") - 4;
    Bytes without_mdat = cut(heic, mdat);
    // Without an idat either, the pixels were cut off.
    CHECK(check(without_mdat).outcome.code == finding_code::content_media_truncated);
    // Grow the meta box by an idat box holding the pixels.
    std::size_t meta = find(heic, "meta") - 4;
    Bytes idat = {0, 0, 0, 12, 'i', 'd', 'a', 't', 1, 2, 3, 4};
    without_mdat.insert(without_mdat.begin() + static_cast<std::ptrdiff_t>(mdat), idat.begin(),
                        idat.end());
    std::uint32_t meta_size = (std::uint32_t(without_mdat[meta]) << 24) |
                              (std::uint32_t(without_mdat[meta + 1]) << 16) |
                              (std::uint32_t(without_mdat[meta + 2]) << 8) | without_mdat[meta + 3];
    meta_size += 12;
    for (int i = 0; i < 4; ++i)
        without_mdat[meta + static_cast<std::size_t>(i)] =
            static_cast<std::uint8_t>(meta_size >> (24 - 8 * i));
    ContentCheck with_idat = check(without_mdat, "IMG_0005.HEIC");
    CHECK(with_idat.outcome.decoded);
}
