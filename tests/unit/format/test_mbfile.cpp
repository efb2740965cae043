#include "mbfile.h"

#include "plist.h"
#include "support/hostile_plists.h"
#include "support/sample_records.h"

#include <plist/plist.h>
#include <catch2/catch.hpp>

#include <cstdlib>

using namespace bkcheck;

namespace {

Bytes to_binary(plist_t root)
{
    char* bytes = nullptr;
    std::uint32_t length = 0;
    plist_to_bin(root, &bytes, &length);
    Bytes out(reinterpret_cast<std::uint8_t*>(bytes),
              reinterpret_cast<std::uint8_t*>(bytes) + length);
    std::free(bytes);
    plist_free(root);
    return out;
}

// An archive whose root MBFile sits at `root_index` with a path object, to prove decoding follows
// UIDs.
Bytes archive_with_root_at(std::uint64_t root_index, std::uint64_t path_uid)
{
    plist_t objects = plist_new_array();
    plist_array_append_item(objects, plist_new_string("$null"));
    plist_array_append_item(objects, plist_new_string("Library/decoy"));
    plist_array_append_item(objects, plist_new_string("Library/SMS/sms.db"));
    plist_t mbfile = plist_new_dict();
    plist_dict_set_item(mbfile, "RelativePath", plist_new_uid(path_uid));
    plist_dict_set_item(mbfile, "Target", plist_new_uid(path_uid));
    plist_dict_set_item(mbfile, "Mode", plist_new_uint(0100600));
    plist_dict_set_item(mbfile, "Size", plist_new_uint(42));
    while (plist_array_get_size(objects) < root_index)
        plist_array_append_item(objects, plist_new_string("pad"));
    plist_array_append_item(objects, mbfile);
    plist_t root = plist_new_dict();
    plist_t top = plist_new_dict();
    plist_dict_set_item(top, "root", plist_new_uid(root_index));
    plist_dict_set_item(root, "$top", top);
    plist_dict_set_item(root, "$objects", objects);
    return to_binary(root);
}

}  // namespace

TEST_CASE("MBFile: encode then decode gives the same attributes", "[mbfile]")
{
    for (const FileRecord& record : test::sample_records()) {
        Bytes archive = encode_mbfile(record);
        REQUIRE(archive.size() > 8);
        CHECK(std::string(archive.begin(), archive.begin() + 8) == "bplist00");
        FileRecord decoded;
        REQUIRE(decode_mbfile(archive, decoded));
        CHECK(test::same_attributes(decoded, record));
    }
}

TEST_CASE("MBFile: decoding follows UIDs, not fixed indexes", "[mbfile]")
{
    FileRecord record;
    REQUIRE(decode_mbfile(archive_with_root_at(5, 2), record));
    CHECK(record.target == "Library/SMS/sms.db");
    CHECK(record.mode == 0100600);
    CHECK(record.size == 42);
}

TEST_CASE("MBFile: bad archives are Corrupt with a reason", "[mbfile]")
{
    FileRecord record;
    auto out_of_range = decode_mbfile(archive_with_root_at(3, 99), record);
    REQUIRE_FALSE(out_of_range);
    CHECK(out_of_range.error().message.find("refers to object 99") != std::string::npos);
    CHECK_FALSE(decode_mbfile(as_bytes("garbage"), record));
    CHECK_FALSE(decode_mbfile(Bytes(), record));

    // A root that points at itself must not loop.
    plist_t objects = plist_new_array();
    plist_array_append_item(objects, plist_new_string("$null"));
    plist_array_append_item(objects, plist_new_uid(1));
    plist_t root = plist_new_dict();
    plist_t top = plist_new_dict();
    plist_dict_set_item(top, "root", plist_new_uid(1));
    plist_dict_set_item(root, "$top", top);
    plist_dict_set_item(root, "$objects", objects);
    CHECK_FALSE(decode_mbfile(to_binary(root), record));
}

TEST_CASE("MBFile: truncated at every offset never crashes", "[mbfile]")
{
    Bytes archive = encode_mbfile(test::sample_records()[2]);
    std::size_t decoded = 0;
    for (std::size_t cut = 0; cut < archive.size(); ++cut) {
        FileRecord record;
        decoded += decode_mbfile(ByteView(archive.data(), cut), record).has_value();
    }
    CHECK(decoded == 0);  // a binary plist needs its trailer: no prefix is a valid archive
}

// Issue 19: an MBFile archive is bounded like every plist, and the refusal names the bound.
TEST_CASE("MBFile: shared references or deep nesting in the archive are refused with the bound",
          "[mbfile][issue-19]")
{
    FileRecord record;
    Bytes sound = test::mbfile_archive_with(
        5, [](test::BinaryPlistWriter& w) { return test::add_doubling_chain(w, 2); });
    REQUIRE(decode_mbfile(sound, record));
    CHECK(record.mode == 0xA4);

    Bytes shared = test::mbfile_archive_with(
        70, [](test::BinaryPlistWriter& w) { return test::add_doubling_chain(w, 64); });
    auto refused = decode_mbfile(shared, record);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("more than 1000000 values") != std::string::npos);

    Bytes deep = test::mbfile_archive_with(
        100'010, [](test::BinaryPlistWriter& w) { return test::add_nested_arrays(w, 100'000); });
    refused = decode_mbfile(deep, record);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("more than 512 levels deep") != std::string::npos);
}
