// BlobTree::find narrows its binary search to the ids sharing a prefix whose width grows with the
// tree. Every tree size crosses a width boundary somewhere, so find is checked against a plain scan
// for sizes around them, with ids present once, twice (a stray copy in a second folder) and absent.
#include "verify_steps.h"

#include "make_backup/backup_writer.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>

namespace {

using bkcheck::detail::BlobId;
using bkcheck::detail::BlobTree;

BlobId random_id(std::mt19937_64& random)
{
    BlobId id;
    for (auto& byte : id) byte = static_cast<std::uint8_t>(random());
    return id;
}

std::pair<std::size_t, std::size_t> scan(const BlobTree& tree, const BlobId& id)
{
    auto by_id = [&](const BlobTree::Entry& entry) { return entry.id == id; };
    auto first = std::find_if(tree.entries.begin(), tree.entries.end(), by_id);
    auto last = std::find_if_not(first, tree.entries.end(), by_id);
    return {static_cast<std::size_t>(first - tree.entries.begin()),
            static_cast<std::size_t>(last - tree.entries.begin())};
}

}  // namespace

TEST_CASE("BlobTree::find agrees with a scan for every tree size around its prefix widths")
{
    std::mt19937_64 random(7);
    for (std::size_t size : {0, 1, 2, 3, 5, 17, 255, 256, 257, 4096, 70000}) {
        BlobTree tree;
        for (std::size_t i = 0; i < size; ++i) {
            BlobId id = random_id(random);
            tree.entries.push_back({id, static_cast<std::uint16_t>(id[0])});
            if (i % 7 == 0) tree.entries.push_back({id, BlobTree::k_flat});  // a stray copy
        }
        std::sort(tree.entries.begin(), tree.entries.end(),
                  [](const BlobTree::Entry& a, const BlobTree::Entry& b) {
                      return a.id != b.id ? a.id < b.id : a.folder < b.folder;
                  });
        tree.index_prefixes();
        CAPTURE(size, tree.prefix_bits);
        CHECK(tree.prefix_start.size() == (std::size_t{1} << tree.prefix_bits) + 1);
        CHECK(tree.prefix_start.back() == tree.entries.size());

        std::size_t step = std::max<std::size_t>(1, tree.entries.size() / 500);
        for (std::size_t i = 0; i < tree.entries.size(); i += step) {
            const BlobId& id = tree.entries[i].id;
            auto found = tree.find(id);
            REQUIRE(found == scan(tree, id));
            CHECK(found.second - found.first >= 1);
        }
        for (int i = 0; i < 200; ++i) {
            BlobId absent = random_id(random);
            auto found = tree.find(absent);
            REQUIRE(found.first == found.second);
        }
        BlobId lowest{}, highest;
        highest.fill(0xFF);
        CHECK(tree.find(lowest).first == tree.find(lowest).second);
        CHECK(tree.find(highest).first == tree.find(highest).second);
    }
}

TEST_CASE("scan_blob_tree with sizes keeps each blob's inode beside its entry, through the sort",
          "[verify][issue-27]")
{
    using namespace bkcheck;
    test::TempDir temp;
    testgen::BackupSpec spec;
    spec.file_count = 300;
    auto dir = testgen::write_backup(spec, temp.path());
    REQUIRE(dir);
    auto backup = open_backup(real_file_system(), *dir);
    REQUIRE(backup);
    // What the folders' listings say, by blob name.
    std::map<std::string, std::uint64_t> listed;
    for (int folder = 0; folder < 256; ++folder) {
        auto entries = real_file_system().list(*dir / BlobTree::folder_name(folder));
        if (!entries) continue;
        for (const DirEntry& entry : *entries) listed[entry.name] = entry.inode;
    }
    FindingSink sink;
    BlobTree tree = detail::scan_blob_tree(real_file_system(), *backup, true, sink);
    REQUIRE(tree.entries.size() == listed.size());
    REQUIRE(tree.inodes.size() == tree.entries.size());
    for (std::size_t i = 0; i < tree.entries.size(); ++i) {
        std::string name = detail::blob_id_hex(tree.entries[i].id);
        REQUIRE(listed.count(name) == 1);
        CHECK(tree.inodes[i] == listed[name]);
#ifndef _WIN32
        CHECK(tree.inodes[i] != 0);  // POSIX listings give one (d_ino)
#endif
    }
    // A structural verify keeps no inodes.
    CHECK(detail::scan_blob_tree(real_file_system(), *backup, false, sink).inodes.empty());
}
