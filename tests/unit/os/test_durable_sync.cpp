// durable_sync is how every journal, staged repair and output file reaches the disk. macOS's
// F_FULLFSYNC and its fallback are walked with faked calls, so the macOS path is checked on Linux;
// then the calls of this build on a real file.
#include "durable_sync.h"
#include "platform.h"

#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <cerrno>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace {

using namespace bkcheck;

struct FakeSync {
    std::vector<std::string> log;
    int full_errno = 0;
    int sync_errno = 0;

    detail::DurableSyncCalls calls(bool with_full = true)
    {
        auto answer = [this](const char* name, int value) {
            log.emplace_back(name);
            errno = value;
            return value == 0 ? 0 : -1;
        };
        detail::DurableSyncCalls out;
        if (with_full) out.full_sync = [this, answer](int) { return answer("full", full_errno); };
        out.sync = [this, answer](int) { return answer("fsync", sync_errno); };
        return out;
    }
};

using Log = std::vector<std::string>;

}  // namespace

TEST_CASE("durable_sync: F_FULLFSYNC when the volume does it, and then no fsync", "[sync]")
{
    FakeSync fake;
    CHECK(detail::durable_sync_with(fake.calls(), 5) == 0);
    CHECK(fake.log == Log{"full"});
}

TEST_CASE("durable_sync: a volume that refuses F_FULLFSYNC gets fsync, and its answer", "[sync]")
{
    int refusal = GENERATE(ENOTSUP, EOPNOTSUPP, EINVAL, ENOTTY);
    FakeSync fake;
    fake.full_errno = refusal;
    CHECK(detail::durable_sync_with(fake.calls(), 5) == 0);
    CHECK(fake.log == Log{"full", "fsync"});

    FakeSync failing;
    failing.full_errno = refusal;
    failing.sync_errno = EIO;
    CHECK(detail::durable_sync_with(failing.calls(), 5) == -1);
    CHECK(errno == EIO);
}

TEST_CASE("durable_sync: an I/O error of F_FULLFSYNC is reported, not hidden by a weaker fsync",
          "[sync]")
{
    FakeSync fake;
    fake.full_errno = EIO;
    CHECK(detail::durable_sync_with(fake.calls(), 5) == -1);
    CHECK(errno == EIO);
    CHECK(fake.log == Log{"full"});
}

TEST_CASE("durable_sync: without F_FULLFSYNC (Linux, the BSDs, the portable build) it is fsync",
          "[sync]")
{
    FakeSync fake;
    CHECK(detail::durable_sync_with(fake.calls(false), 5) == 0);
    CHECK(fake.log == Log{"fsync"});
}

TEST_CASE("durable_sync: this build's calls sync a real file and folder, and fail on a bad one",
          "[sync]")
{
    CHECK(static_cast<bool>(detail::system_sync_calls().full_sync) == BKCHECK_APPLE_CALLS);
    test::TempDir temp;
    test::write_text(temp.path() / "file", "bytes");
    int file = ::open((temp.path() / "file").c_str(), O_RDWR | O_CLOEXEC);
    int dir = ::open(temp.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    REQUIRE(file >= 0);
    REQUIRE(dir >= 0);
    CHECK(detail::durable_sync(file) == 0);
    CHECK(detail::durable_sync(dir) == 0);
    ::close(file);
    ::close(dir);
    CHECK(detail::durable_sync(file) == -1);
    CHECK(errno == EBADF);
}
