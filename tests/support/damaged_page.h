// Damage one page of a generated Manifest.db as a bad disk sector would: a leaf page of the Files
// table from the middle of the b-tree, overwritten with 0xff, so SQLite reads the rows before it
// and stops there, and salvage reads past it.
#pragma once

#include "utf8_path.h"

#include <sqlite3.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace bkcheck::test {

struct Page {
    int number;
    std::size_t size;
};

// A leaf page of the Files table from the middle of the b-tree (SQLite's dbstat), and the page
// size.
inline Page middle_files_leaf_page(const std::filesystem::path& db_path)
{
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(utf8_path(db_path).c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
            SQLITE_OK);
    sqlite3_stmt* select = nullptr;
    REQUIRE(
        sqlite3_prepare_v2(
            db,
            "SELECT pageno FROM dbstat WHERE name = 'Files' AND pagetype = 'leaf' ORDER BY pageno",
            -1, &select, nullptr) == SQLITE_OK);
    std::vector<int> pages;
    while (sqlite3_step(select) == SQLITE_ROW) pages.push_back(sqlite3_column_int(select, 0));
    sqlite3_finalize(select);
    REQUIRE(sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &select, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(select) == SQLITE_ROW);
    auto page_size = static_cast<std::size_t>(sqlite3_column_int(select, 0));
    sqlite3_finalize(select);
    sqlite3_close(db);
    REQUIRE(pages.size() >= 3);
    return {pages[pages.size() / 2], page_size};
}

inline void overwrite_page(const std::filesystem::path& db_path, Page page)
{
    std::fstream file(db_path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(static_cast<std::size_t>(page.number - 1) * page.size));
    std::string garbage(page.size, '\xff');
    file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
}

// Both of the above: the middle leaf page of `db_path`'s Files table turned to garbage.
inline void damage_middle_files_page(const std::filesystem::path& db_path)
{
    overwrite_page(db_path, middle_files_leaf_page(db_path));
}

}  // namespace bkcheck::test
