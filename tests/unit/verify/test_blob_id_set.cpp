// BlobIdSet (issue 27): the flat set of fileIDs that name no blob, which tells verify the second
// row with one of them.
#include "blob_id_set.h"

#include <catch2/catch.hpp>

#include <set>

using namespace bkcheck::detail;

namespace {

BlobId id_of(std::uint32_t n, std::uint8_t tail = 0)
{
    BlobId id{};
    // Spread like SHA-1 values in the first bytes (the hash), collide on purpose in some.
    std::uint32_t mixed = n * 2654435761u;
    for (int i = 0; i < 4; ++i) id[i] = static_cast<std::uint8_t>(mixed >> (8 * i));
    id[16] = static_cast<std::uint8_t>(n >> 8);
    id[17] = static_cast<std::uint8_t>(n);
    id[19] = tail;
    return id;
}

}  // namespace

TEST_CASE("BlobIdSet: an id is new once, through every growth of the table", "[verify][issue-27]")
{
    BlobIdSet set;
    std::set<BlobId> reference;
    for (std::uint32_t n = 0; n < 5000; ++n) {
        // Ids differing only in their last byte share a hash: probing must tell them apart.
        for (std::uint8_t tail : {0, 1}) {
            BlobId id = id_of(n % 3000, tail);
            CHECK(set.insert(id) == reference.insert(id).second);
        }
    }
    CHECK(set.size() == reference.size());
    CHECK(set.size() == 6000);
}

TEST_CASE("BlobIdSet: the all-zero id (which marks free slots) is an id like any other",
          "[verify][issue-27]")
{
    BlobIdSet set;
    set.reserve(10);
    CHECK(set.insert(BlobId{}));
    CHECK_FALSE(set.insert(BlobId{}));
    CHECK(set.insert(id_of(1)));
    CHECK_FALSE(set.insert(id_of(1)));
    CHECK(set.size() == 2);
}

TEST_CASE("blob_id_less and blob_id_equal order ids as their bytes", "[verify][issue-27]")
{
    std::vector<BlobId> ids;
    for (std::uint32_t n = 0; n < 300; ++n) ids.push_back(id_of(n, static_cast<std::uint8_t>(n)));
    ids.push_back(BlobId{});
    for (const BlobId& a : ids) {
        for (const BlobId& b : ids) {
            CHECK(blob_id_less(a, b) == (a < b));
            CHECK(blob_id_equal(a, b) == (a == b));
        }
    }
}

TEST_CASE("BlobIdSet: reserved for a count, it takes that many ids, each new once",
          "[verify][issue-27]")
{
    BlobIdSet set;
    set.reserve(100000);
    for (std::uint32_t n = 0; n < 100000; ++n) CHECK(set.insert(id_of(n, 7)));
    for (std::uint32_t n = 0; n < 100000; n += 97) CHECK_FALSE(set.insert(id_of(n, 7)));
    CHECK(set.insert(id_of(5, 8)));
    CHECK(set.size() == 100001);
}
