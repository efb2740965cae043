// The file source SQLite reads Manifest.db through (file_system_vfs.h): pages copied out of its
// read windows or handed over in place (fetch), every byte as on disk, a fetched page unchanged
// until released however many windows are filled after it, and a fetch declined (SQLite then reads)
// when every window is held or the page is far from the previous read.
#include "file_system_vfs.h"

#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

using namespace bkcheck;

namespace {

constexpr std::size_t k_page = 4096;
constexpr std::size_t k_window = 128 << 10;
constexpr std::size_t k_file_bytes = 4 << 20;  // 32 windows

std::uint8_t byte_at(std::size_t offset)
{
    return static_cast<std::uint8_t>((offset * 2654435761u) >> 13);
}

bool is_page(const std::uint8_t* bytes, std::uint64_t offset)
{
    for (std::size_t i = 0; i < k_page; ++i) {
        if (bytes[i] != byte_at(static_cast<std::size_t>(offset) + i)) return false;
    }
    return true;
}

bool reads_page(detail::DatabaseSource& source, std::uint64_t offset)
{
    std::vector<std::uint8_t> page(k_page);
    return source.read(page.data(), k_page, offset) && is_page(page.data(), offset);
}

}  // namespace

TEST_CASE("file source: pages read and fetched as on disk; a fetched page stays until released",
          "[manifest_db][vfs][issue-27]")
{
    test::TempDir dir;
    std::string bytes(k_file_bytes, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(byte_at(i));
    test::write_text(dir.path() / "Manifest.db", bytes);
    auto opened = detail::file_source(real_file_system(), dir.path() / "Manifest.db");
    REQUIRE(opened);
    detail::DatabaseSource& source = **opened;
    REQUIRE(source.size() == k_file_bytes);

    // Forward, then backward over the whole file, then far jumps: every page as written.
    bool all_read = true;
    for (std::uint64_t at = 0; at < k_file_bytes; at += k_page) all_read &= reads_page(source, at);
    for (std::uint64_t at = k_file_bytes; at > 0; at -= k_page)
        all_read &= reads_page(source, at - k_page);
    for (std::uint64_t at : {std::uint64_t{3} << 20, std::uint64_t{0}, std::uint64_t{2} << 20})
        all_read &= reads_page(source, at);
    CHECK(all_read);

    // One page held in each of eight windows (each fetch next to the previous one fills the next).
    std::vector<const std::uint8_t*> held;
    for (std::uint64_t k = 0; k < 8; ++k) {
        const std::uint8_t* page = source.fetch(k_page, k * k_window);
        REQUIRE(page != nullptr);
        CHECK(is_page(page, k * k_window));
        held.push_back(page);
    }
    // Every window held: the next window's page is declined, and read exactly when read.
    CHECK(source.fetch(k_page, 8 * k_window) == nullptr);
    CHECK(reads_page(source, 8 * k_window));
    // A page of a held window is served from it again.
    const std::uint8_t* again = source.fetch(k_page, k_window + k_page);
    REQUIRE(again != nullptr);
    CHECK(is_page(again, k_window + k_page));
    source.release(again);

    // One released: its window takes the next pages, read through the file; the other seven
    // pages stay as they were.
    source.release(held[3]);
    bool rest_read = true;
    for (std::uint64_t at = 8 * k_window; at < k_file_bytes; at += k_page)
        rest_read &= reads_page(source, at);
    CHECK(rest_read);
    bool held_unchanged = true;
    for (std::uint64_t k = 0; k < 8; ++k) {
        if (k != 3) held_unchanged &= is_page(held[k], k * k_window);
    }
    CHECK(held_unchanged);

    // A fetch far from the previous read (the file's end) and outside every window is declined
    // (SQLite reads the page instead).
    CHECK(source.fetch(k_page, 0x210000) == nullptr);
    CHECK(reads_page(source, 0x210000));
    for (std::uint64_t k = 0; k < 8; ++k) {
        if (k != 3) source.release(held[k]);
    }
}
