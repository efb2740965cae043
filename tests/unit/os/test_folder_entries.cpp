// FileSystem::open_folder (issue 27): verify stats each blob by name in its folder's handle instead
// of by its whole path. The handle must say what stat(folder / name) says, errors included (their
// path is the whole path), for the real file system and for the default every other one inherits.
#include "bkcheck/file_system.h"

#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <vector>

using namespace bkcheck;
using bkcheck::test::TempDir;
namespace fs = std::filesystem;

namespace {

// A FileSystem with only what open_folder's default needs: stat, answered by the real one.
class StatOnly final : public FileSystem {
public:
    Result<FileStat> stat(const fs::path& path) const override
    {
        return real_file_system().stat(path);
    }
    Result<std::vector<DirEntry>> list(const fs::path& dir) const override
    {
        return real_file_system().list(dir);
    }
    Result<Bytes> read_file(const fs::path& path, std::uint64_t max_size) const override
    {
        return real_file_system().read_file(path, max_size);
    }
    Result<std::unique_ptr<SequentialReader>> open_read(const fs::path& path) const override
    {
        return real_file_system().open_read(path);
    }
    Result<std::uint64_t> free_space(const fs::path& path) const override
    {
        return real_file_system().free_space(path);
    }
};

}  // namespace

TEST_CASE("open_folder stats entries by name as stat does by path", "[os][issue-27]")
{
    TempDir temp;
    fs::path folder = temp.path() / "3d";
    fs::create_directories(folder / "inner");
    std::ofstream(folder / "blob", std::ios::binary) << "twelve bytes";
    std::vector<std::string> names{"blob", "inner"};
#ifndef _WIN32
    fs::create_symlink("blob", folder / "link");
    names.emplace_back("link");
#endif
    StatOnly stat_only;
    for (const FileSystem* file_system :
         {&real_file_system(), static_cast<const FileSystem*>(&stat_only)}) {
        auto entries = file_system->open_folder(folder);
        REQUIRE(entries);
        for (const std::string& name : names) {
            CAPTURE(name);
            auto by_name = (*entries)->stat(name);
            auto by_path = file_system->stat(folder / name);
            REQUIRE(by_name);
            REQUIRE(by_path);
            CHECK(by_name->type == by_path->type);
            CHECK(by_name->size == by_path->size);
            CHECK(by_name->modified == by_path->modified);
            CHECK(by_name->readable == by_path->readable);
        }
        CHECK((*entries)->stat("blob")->size == 12);
#ifndef _WIN32
        CHECK((*entries)->stat("link")->type == EntryType::File);  // followed, as stat does
#endif
        auto missing = (*entries)->stat("gone");
        auto missing_by_path = file_system->stat(folder / "gone");
        REQUIRE_FALSE(missing);
        REQUIRE_FALSE(missing_by_path);
        CHECK(missing.error().code == missing_by_path.error().code);
        CHECK(missing.error().message == missing_by_path.error().message);
        CHECK(missing.error().path == missing_by_path.error().path);
    }
    CHECK_FALSE(real_file_system().open_folder(temp.path() / "none"));
    CHECK_FALSE(real_file_system().open_folder(folder / "blob"));  // not a folder
}
