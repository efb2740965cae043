// rename_exclusive is how quarantine moves, staged repairs and output files get their names without
// ever replacing one. Each fallback is walked with faked calls, as each OS answers (Linux EINVAL,
// macOS ENOTSUP, FAT without hard links, a folder), so the macOS and portable paths are checked on
// Linux too; then the calls of this build on a real folder.
#include "exclusive_rename.h"
#include "platform.h"

#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <cerrno>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

using namespace bkcheck;
using detail::ExclusiveRenameCalls;

// Fake calls that log their names and answer what each test sets (0, or an errno to fail with).
struct FakeCalls {
    std::vector<std::string> log;
    int atomic_errno = 0;
    int link_errno = 0;
    int lstat_errno = 0;  // 0: the target exists
    int rename_errno = 0;

    ExclusiveRenameCalls calls(bool with_atomic = true)
    {
        auto answer = [this](const char* name, int value) {
            log.emplace_back(name);
            errno = value;
            return value == 0 ? 0 : -1;
        };
        ExclusiveRenameCalls out;
        if (with_atomic)
            out.atomic_no_replace = [this, answer](int, const char*, int, const char*) {
                return answer("atomic", atomic_errno);
            };
        out.link = [this, answer](int, const char*, int, const char*) {
            return answer("link", link_errno);
        };
        out.unlink = [answer](int, const char*) { return answer("unlink", 0); };
        out.lstat = [this, answer](int, const char*) { return answer("lstat", lstat_errno); };
        out.rename = [this, answer](int, const char*, int, const char*) {
            return answer("rename", rename_errno);
        };
        return out;
    }
};

using Log = std::vector<std::string>;

int run(FakeCalls& fake, bool with_atomic = true)
{
    return detail::rename_exclusive_with(fake.calls(with_atomic), 3, "from", 4, "to");
}

}  // namespace

TEST_CASE("rename_exclusive: the OS's atomic call when it works, nothing else", "[rename]")
{
    FakeCalls fake;
    CHECK(run(fake) == 0);
    CHECK(fake.log == Log{"atomic"});
}

TEST_CASE("rename_exclusive: a target that exists is EEXIST at every step, never replaced",
          "[rename]")
{
    FakeCalls fake;
    SECTION("said by the atomic call")
    {
        fake.atomic_errno = EEXIST;
        CHECK(run(fake) == -1);
        CHECK(errno == EEXIST);
        CHECK(fake.log == Log{"atomic"});
    }
    SECTION("said by the hard link (no atomic call: the portable build, the BSDs)")
    {
        fake.link_errno = EEXIST;
        CHECK(run(fake, false) == -1);
        CHECK(errno == EEXIST);
        CHECK(fake.log == Log{"link"});
    }
    SECTION("seen by the check when there are no hard links")
    {
        fake.atomic_errno = ENOTSUP;
        fake.link_errno = EPERM;
        CHECK(run(fake) == -1);
        CHECK(errno == EEXIST);
        CHECK(fake.log == Log{"atomic", "link", "lstat"});
    }
}

TEST_CASE("rename_exclusive: a file system without the atomic call gets a hard link", "[rename]")
{
    // Linux says EINVAL (ENOSYS on old kernels), macOS renameatx_np says ENOTSUP.
    int answer = GENERATE(EINVAL, ENOSYS, ENOTSUP, EOPNOTSUPP);
    FakeCalls fake;
    fake.atomic_errno = answer;
    CHECK(run(fake) == 0);
    CHECK(fake.log == Log{"atomic", "link", "unlink"});
}

TEST_CASE("rename_exclusive: no hard links (FAT, a folder): a check, then a plain rename",
          "[rename]")
{
    int answer = GENERATE(EPERM, ENOTSUP, EOPNOTSUPP, EMLINK);
    FakeCalls fake;
    fake.link_errno = answer;
    fake.lstat_errno = ENOENT;
    CHECK(run(fake, false) == 0);
    CHECK(fake.log == Log{"link", "lstat", "rename"});
}

TEST_CASE("rename_exclusive: a real failure stops where it happens, with its errno", "[rename]")
{
    FakeCalls fake;
    SECTION("the atomic call")
    {
        fake.atomic_errno = EACCES;
        CHECK(run(fake) == -1);
        CHECK(errno == EACCES);
        CHECK(fake.log == Log{"atomic"});
    }
    SECTION("the hard link")
    {
        fake.atomic_errno = ENOTSUP;
        fake.link_errno = EIO;
        CHECK(run(fake) == -1);
        CHECK(errno == EIO);
        CHECK(fake.log == Log{"atomic", "link"});
    }
    SECTION("the check: no rename when the target's existence is unknown")
    {
        fake.link_errno = EPERM;
        fake.lstat_errno = EACCES;
        CHECK(run(fake, false) == -1);
        CHECK(errno == EACCES);
        CHECK(fake.log == Log{"link", "lstat"});
    }
}

TEST_CASE("rename_exclusive: this build's calls move files and folders, and never replace",
          "[rename]")
{
    // Linux and macOS builds have the atomic call; the portable build must do without it.
    CHECK(static_cast<bool>(detail::system_rename_calls().atomic_no_replace) ==
          (BKCHECK_LINUX_CALLS || BKCHECK_APPLE_CALLS));
    test::TempDir temp;
    const auto& root = temp.path();
    test::write_text(root / "a", "a");
    test::write_text(root / "b", "b");
    std::filesystem::create_directory(root / "folder");
    int dir = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    REQUIRE(dir >= 0);

    CHECK(detail::rename_exclusive(dir, "a", dir, "b") == -1);
    CHECK(errno == EEXIST);
    CHECK(std::filesystem::exists(root / "a"));
    CHECK(detail::rename_exclusive(dir, "folder", dir, "b") == -1);
    CHECK(errno == EEXIST);

    CHECK(detail::rename_exclusive(dir, "a", dir, "c") == 0);
    CHECK_FALSE(std::filesystem::exists(root / "a"));
    CHECK(std::filesystem::exists(root / "c"));
    CHECK(detail::rename_exclusive(dir, "folder", dir, "moved") == 0);
    CHECK(std::filesystem::is_directory(root / "moved"));
    CHECK_FALSE(std::filesystem::exists(root / "folder"));
    ::close(dir);
}
