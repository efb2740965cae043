// write_file_atomic is how bkcheck writes everything it writes (journals, staged repairs, seals, key
// files): the new bytes replace the old whole, no temporary is left, and a key file is readable by
// its owner only, even when a crash left a world-readable temporary behind or the umask allows more.
#include "bkcheck/writable_file_system.h"

#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include <sys/stat.h>

namespace {

using namespace bkcheck;

std::string read_text(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

mode_t mode_of(const fs::path& file)
{
    struct stat info {};
    REQUIRE(::stat(file.c_str(), &info) == 0);
    return info.st_mode & 07777;
}

ByteView view_of(std::string_view text)
{
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace

TEST_CASE("write_file_atomic replaces the whole file with the mode asked for, through a temporary of its own")
{
    test::TempDir temp;
    fs::path file = temp.path() / "key";
    test::write_text(file, "an older and longer content");
    // A temporary left by a crash, readable and writable by everyone.
    test::write_text(file.string() + ".bkcheck-tmp", "stale");
    REQUIRE(::chmod((file.string() + ".bkcheck-tmp").c_str(), 0666) == 0);
    mode_t old_umask = ::umask(0);

    Status owner_only = real_writable_file_system().write_file_atomic(file, view_of("secret\n"), FileAccess::OwnerOnly);
    mode_t owner_mode = mode_of(file);
    Status everyone = real_writable_file_system().write_file_atomic(temp.path() / "seal", view_of("x"),
                                                                    FileAccess::Everyone);
    ::umask(old_umask);

    REQUIRE(owner_only);
    CHECK(read_text(file) == "secret\n");
    CHECK(owner_mode == 0600);
    // The leftover is neither reused (another user may hold it open) nor touched.
    CHECK(read_text(file.string() + ".bkcheck-tmp") == "stale");
    REQUIRE(everyone);
    CHECK(mode_of(temp.path() / "seal") == 0644);
    CHECK(read_text(temp.path() / "seal") == "x");
}

TEST_CASE("write_file_atomic into a missing folder fails naming the file and creates nothing")
{
    test::TempDir temp;
    fs::path file = temp.path() / "missing" / "key";
    Status written = real_writable_file_system().write_file_atomic(file, view_of("k"), FileAccess::OwnerOnly);
    REQUIRE_FALSE(written);
    CHECK(written.error().describe().find((temp.path() / "missing" / "key").string()) != std::string::npos);
    CHECK(written.error().describe().find("cannot create") != std::string::npos);
    CHECK(fs::is_empty(temp.path()));
}
