// The in-place MBFile reader (mbfile_reader.h) against the libplist decoder: what it reads it reads
// to the same fields, and what it declines (every refusal, and the unusual shapes) is left to
// libplist, untouched.
#include "mbfile.h"
#include "mbfile_reader.h"

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

// An NSKeyedArchiver frame around `mbfile` (a dict), with `extra` appended to $objects first.
Bytes archive_of(plist_t mbfile, std::initializer_list<plist_t> extra = {})
{
    plist_t objects = plist_new_array();
    plist_array_append_item(objects, plist_new_string("$null"));
    plist_array_append_item(objects, mbfile);
    for (plist_t object : extra) plist_array_append_item(objects, object);
    plist_t root = plist_new_dict();
    plist_t top = plist_new_dict();
    plist_dict_set_item(top, "root", plist_new_uid(1));
    plist_dict_set_item(root, "$top", top);
    plist_dict_set_item(root, "$objects", objects);
    return to_binary(root);
}

FileRecord poisoned()
{
    FileRecord record;
    record.mode = 1;
    record.target = "untouched";
    record.digest = {9};
    return record;
}

}  // namespace

TEST_CASE("MBFile reader: reads what encode_mbfile writes, field for field", "[mbfile][issue-27]")
{
    for (FileRecord expected : test::sample_records()) {
        // Extended attributes are a plist inside the data: the reader leaves them to libplist.
        const bool has_xattrs = !expected.extended_attributes.empty();
        Bytes archive = encode_mbfile(expected);
        FileRecord fast = poisoned();
        REQUIRE(read_mbfile_fast(archive, fast) == !has_xattrs);
        if (has_xattrs) continue;
        FileRecord reference = poisoned();
        REQUIRE(decode_mbfile_with_libplist(archive, reference));
        CHECK(test::same_attributes(fast, reference));
        CHECK(test::same_attributes(fast, expected));
    }
}

TEST_CASE("MBFile reader: UIDs, NS.data dicts, UTF-16 text and negative IDs", "[mbfile][issue-27]")
{
    plist_t mbfile = plist_new_dict();
    plist_dict_set_item(mbfile, "Mode", plist_new_uint(0120755));
    plist_dict_set_item(mbfile, "UserID", plist_new_uint(static_cast<std::uint64_t>(-2)));
    plist_dict_set_item(mbfile, "Size", plist_new_uint(7));
    plist_dict_set_item(mbfile, "Target", plist_new_uid(2));
    plist_dict_set_item(mbfile, "EncryptionKey", plist_new_uid(3));
    plist_t key = plist_new_dict();
    const char wrapped[] = "\x04\x00\x00\x00wrapped";
    plist_dict_set_item(key, "NS.data", plist_new_data(wrapped, sizeof wrapped - 1));
    // "Ünïcødé/日本" is written as UTF-16 by libplist: the reader converts it as libplist does.
    Bytes archive =
        archive_of(mbfile, {plist_new_string("\xC3\x9Cn\xC3\xAF/\xE6\x97\xA5\xE6\x9C\xAC"), key});
    FileRecord fast = poisoned();
    REQUIRE(read_mbfile_fast(archive, fast));
    FileRecord reference;
    REQUIRE(decode_mbfile_with_libplist(archive, reference));
    CHECK(test::same_attributes(fast, reference));
    CHECK(fast.target == "\xC3\x9Cn\xC3\xAF/\xE6\x97\xA5\xE6\x9C\xAC");
    CHECK(fast.user_id == 0xFFFFFFFEu);
    CHECK(fast.encryption_key == Bytes(wrapped, wrapped + sizeof wrapped - 1));
    CHECK(fast.digest.empty());
}

TEST_CASE("MBFile reader: declines what libplist refuses, and unusual shapes, untouched",
          "[mbfile][issue-27]")
{
    auto declined = [](ByteView archive) {
        FileRecord record = poisoned();
        bool read = read_mbfile_fast(archive, record);
        return !read && record.target == "untouched" && record.mode == 1 &&
               record.digest == Bytes{9};
    };
    CHECK(declined(Bytes()));
    CHECK(declined(as_bytes("garbage")));
    Bytes sound = encode_mbfile(test::sample_records()[0]);
    for (std::size_t cut = 0; cut < sound.size(); ++cut)
        CHECK(declined(Bytes(sound.begin(), sound.begin() + static_cast<std::ptrdiff_t>(cut))));

    // Out of range: a negative Size, a Mode beyond 32 bits (libplist refuses with its words).
    plist_t negative = plist_new_dict();
    plist_dict_set_item(negative, "Size", plist_new_uint(static_cast<std::uint64_t>(-1)));
    Bytes negative_size = archive_of(negative);
    CHECK(declined(negative_size));
    FileRecord record;
    auto refused = decode_mbfile(negative_size, record);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message == "Size is negative (-1)");

    // A real where an integer belongs is sound (libplist's integer() takes an integral real), but
    // declined here and decoded by libplist.
    plist_t real = plist_new_dict();
    plist_dict_set_item(real, "Size", plist_new_real(12.0));
    Bytes real_size = archive_of(real);
    CHECK(declined(real_size));
    REQUIRE(decode_mbfile(real_size, record));
    CHECK(record.size == 12);

    // A shared container and a deep one (the hostile seeds of issue 19).
    CHECK(declined(test::mbfile_archive_with(
        70, [](test::BinaryPlistWriter& w) { return test::add_doubling_chain(w, 64); })));
    CHECK(declined(test::mbfile_archive_with(
        610, [](test::BinaryPlistWriter& w) { return test::add_nested_arrays(w, 600); })));
}

TEST_CASE("MBFile reader: checks every object once, and the containers form a tree",
          "[mbfile][issue-27]")
{
    auto fast = [](ByteView archive, FileRecord& record) {
        return read_mbfile_fast(archive, record);
    };
    // 200 arrays deep (within the 256 objects, far within PlistDocument's 512 levels): read, and to
    // the fields libplist reads.
    Bytes deep = test::mbfile_archive_with(
        210, [](test::BinaryPlistWriter& w) { return test::add_nested_arrays(w, 200); });
    FileRecord read;
    REQUIRE(fast(deep, read));
    FileRecord reference;
    REQUIRE(decode_mbfile_with_libplist(deep, reference));
    CHECK(test::same_attributes(read, reference));
    CHECK(read.mode == 0xA4);

    // An array inside itself, reachable: libplist refuses it ("recursion"); declined.
    Bytes loop = test::mbfile_archive_with(2, [](test::BinaryPlistWriter& w) {
        const std::uint64_t self = w.next();
        return w.array({self});
    });
    FileRecord untouched;
    CHECK_FALSE(fast(loop, untouched));
    CHECK_FALSE(decode_mbfile(loop, untouched));

    // Two arrays holding each other that nothing reachable references: neither decoder visits
    // them, so the archive is read, to libplist's fields.
    Bytes unreachable_loop = test::mbfile_archive_with(3, [](test::BinaryPlistWriter& w) {
        const std::uint64_t first = w.next();
        w.array({first + 1});
        w.array({first});
        return w.string("value");
    });
    REQUIRE(fast(unreachable_loop, read));
    REQUIRE(decode_mbfile_with_libplist(unreachable_loop, reference));
    CHECK(test::same_attributes(read, reference));

    // An unreachable object that cannot be read (a real): declined here, though libplist, which
    // never looks at it, reads the archive.
    Bytes unreachable_real = test::mbfile_archive_with(2, [](test::BinaryPlistWriter& w) {
        w.real();
        return w.string("value");
    });
    CHECK_FALSE(fast(unreachable_real, untouched));
    CHECK(decode_mbfile(unreachable_real, untouched));

    // The root referenced from inside: declined.
    Bytes root_inside = test::mbfile_archive_with(1, [](test::BinaryPlistWriter& w) {
        // The archive's root dict: 11 objects after this array (see mbfile_archive_with).
        return w.array({w.next() + 11});
    });
    CHECK_FALSE(fast(root_inside, untouched));
    CHECK_FALSE(decode_mbfile(root_inside, untouched));  // a cycle through the root: refused
}

TEST_CASE("MBFile reader: the root MBFile is found through $top, not at a fixed index",
          "[mbfile][issue-27]")
{
    plist_t objects = plist_new_array();
    plist_array_append_item(objects, plist_new_string("$null"));
    plist_array_append_item(objects, plist_new_string("decoy"));
    plist_t mbfile = plist_new_dict();
    plist_dict_set_item(mbfile, "Mode", plist_new_uint(0100644));
    plist_dict_set_item(mbfile, "Size", plist_new_uint(42));
    plist_array_append_item(objects, mbfile);
    plist_t root = plist_new_dict();
    plist_t top = plist_new_dict();
    plist_dict_set_item(top, "root", plist_new_uid(2));
    plist_dict_set_item(root, "$top", top);
    plist_dict_set_item(root, "$objects", objects);
    Bytes archive = to_binary(root);
    FileRecord fast;
    REQUIRE(read_mbfile_fast(archive, fast));
    CHECK(fast.mode == 0100644);
    CHECK(fast.size == 42);
}
