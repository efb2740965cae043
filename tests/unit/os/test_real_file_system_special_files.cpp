// A backup folder can hold what no backup writer puts there: a FIFO where Manifest.db or a plist
// should be would block open() for ever, and a blob that links to /dev/zero would never end. Each
// must be reported as unreadable, naming what it is, while the rest of the run goes on. SIGALRM
// (default action: the test binary dies) turns a regression into a failure instead of a hung CI
// job.
#include "bkcheck/backup_index.h"
#include "bkcheck/extract.h"
#include "bkcheck/verifier.h"

#include "make_backup/backup_writer.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

using namespace bkcheck;
using bkcheck::test::TempDir;
namespace fs = std::filesystem;

namespace {

// Generous: each run below takes milliseconds.
constexpr unsigned k_hang_seconds = 60;

fs::path generated_backup(const fs::path& parent)
{
    testgen::BackupSpec spec;
    spec.file_count = 6;
    auto dir = testgen::write_backup(spec, parent);
    REQUIRE(dir);
    return *dir;
}

void replace_with_fifo(const fs::path& file)
{
    fs::remove(file);
    REQUIRE(::mkfifo(file.c_str(), 0644) == 0);
}

// The first blob of the backup (a Manifest.db backup: inside a two-hex-digit folder).
fs::path first_blob(const fs::path& dir)
{
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (entry.is_regular_file() && entry.path().filename().string().size() == 40)
            return entry.path();
    }
    FAIL("the generated backup has no blob");
    return {};
}

struct Verified {
    std::string verdict;
    std::vector<Finding> findings;
};

Verified verify(const fs::path& dir)
{
    auto backup = open_backup(real_file_system(), dir);
    REQUIRE(backup);
    VerifyOptions options;
    options.read_data = true;
    FindingSink sink(1000);
    auto result = verify_backup(real_file_system(), *backup, options, sink);
    REQUIRE(result);
    return {std::string(verdict_name(result->verdict)), sink.kept()};
}

bool has_finding(const Verified& verified, std::string_view code, std::string_view words)
{
    for (const Finding& finding : verified.findings) {
        if (finding.code == code && finding.message.find(words) != std::string::npos) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("special files: a FIFO in place of Manifest.db is an unreadable index, not a hang",
          "[special]")
{
    ::alarm(k_hang_seconds);
    TempDir temp;
    fs::path dir = generated_backup(temp.path());
    replace_with_fifo(dir / "Manifest.db");
    Verified verified = verify(dir);
    CHECK(has_finding(verified, "manifest.unreadable", "FIFO"));
    CHECK(verified.verdict == "unreadable");
    ::alarm(0);
}

TEST_CASE("special files: a FIFO blob is reported and the other blobs are still read", "[special]")
{
    ::alarm(k_hang_seconds);
    TempDir temp;
    fs::path dir = generated_backup(temp.path());
    fs::path blob = first_blob(dir);
    replace_with_fifo(blob);
    Verified verified = verify(dir);
    CHECK(verified.verdict == "damaged");
    // Verify's blob tree lists only regular files, so the FIFO counts as a missing blob.
    CHECK(has_finding(verified, "blob.missing", blob.filename().string()));

    auto backup = open_backup(real_file_system(), dir);
    REQUIRE(backup);
    FindingSink sink(1000);
    auto index = load_backup_index(real_file_system(), *backup, nullptr, sink);
    REQUIRE(index);
    ExtractOptions options;
    auto summary =
        extract_backup(real_file_system(), *backup, *index, temp.path() / "out", options, sink);
    REQUIRE(summary);
    CHECK(summary->skipped >= 1);
    CHECK(summary->files + summary->skipped >= 6);
    ::alarm(0);
}

TEST_CASE("special files: a blob that links to /dev/zero is refused, not read for ever",
          "[special]")
{
    ::alarm(k_hang_seconds);
    TempDir temp;
    fs::path dir = generated_backup(temp.path());
    fs::path blob = first_blob(dir);
    fs::remove(blob);
    fs::create_symlink("/dev/zero", blob);

    auto opened = real_file_system().open_read(blob);
    REQUIRE_FALSE(opened);
    CHECK(opened.error().message.find("device") != std::string::npos);

    auto backup = open_backup(real_file_system(), dir);
    REQUIRE(backup);
    FindingSink sink(1000);
    auto index = load_backup_index(real_file_system(), *backup, nullptr, sink);
    REQUIRE(index);
    auto summary = extract_backup(real_file_system(), *backup, *index, temp.path() / "out",
                                  ExtractOptions{}, sink);
    REQUIRE(summary);
    CHECK(summary->skipped >= 1);
    ::alarm(0);
}

TEST_CASE("special files: FIFOs in place of the plists make the backup unreadable, not a hang",
          "[special]")
{
    ::alarm(k_hang_seconds);
    for (const char* name : {"Info.plist", "Status.plist", "Manifest.plist"}) {
        CAPTURE(name);
        TempDir temp;
        fs::path dir = generated_backup(temp.path());
        replace_with_fifo(dir / name);
        auto bytes = real_file_system().read_file(dir / name, 1 << 20);
        REQUIRE_FALSE(bytes);
        CHECK(bytes.error().message.find("FIFO") != std::string::npos);
        auto backup = open_backup(real_file_system(), dir);
        if (backup) {
            Verified verified = verify(dir);
            CHECK(verified.verdict != "ok");
        }
    }
    ::alarm(0);
}
