// verify on the real backups of ../shared/fixtures/real (facts from its README); skipped cleanly
// when that folder is absent.
#include "bkcheck/verifier.h"

#include "support/temp_dir.h"
#include "support/tree_snapshot.h"

#include <catch2/catch.hpp>

using namespace bkcheck;
using bkcheck::test::real_fixtures;

namespace {

struct Outcome {
    VerifyResult result;
    FindingSink sink{100000};
};

std::unique_ptr<Outcome> verify_dir(const fs::path& dir, bool read_data)
{
    auto backup = open_backup(real_file_system(), dir);
    REQUIRE(backup);
    auto outcome = std::make_unique<Outcome>();
    VerifyOptions options;
    options.read_data = read_data;
    auto result = verify_backup(real_file_system(), *backup, options, outcome->sink);
    REQUIRE(result);
    outcome->result = *result;
    return outcome;
}

}  // namespace

TEST_CASE("real iOS 9.3.6 encrypted backup: 757 records, one blob genuinely missing",
          "[verify][real]")
{
    fs::path fixtures = real_fixtures();
    if (fixtures.empty()) {
        WARN("skipped: ../shared/fixtures/real is not present");
        return;
    }
    fs::path dir =
        fixtures / "hackvent2020-ios9-encrypted" / "65195ba5-2dac-49a4-9606-c9d8733bebcf";
    auto before = test::snapshot_tree(dir);
    auto outcome = verify_dir(dir, true);
    const VerifyCounts& counts = outcome->result.counts;
    CHECK(counts.records == 757);
    CHECK(counts.files == 321);
    CHECK(counts.directories == 429);
    CHECK(counts.symlinks == 7);
    CHECK(counts.blobs_checked == 320);
    CHECK(counts.blobs_read == 320);

    const FindingSink& sink = outcome->sink;
    REQUIRE(sink.count("blob.missing") == 1);
    for (const Finding& finding : sink.kept()) {
        if (finding.code == "blob.missing") {
            CHECK(finding.file_id == "a373976c636b12aaf1acc0677a5544159e0e9100");
            CHECK(finding.domain == "CameraRollDomain");
            CHECK(finding.path == "Media/DCIM/100APPLE/IMG_0001.mp4");
        }
    }
    // Digests are SHA-1 of the stored (encrypted) blob: all 264 match.
    CHECK(sink.count("blob.digest_mismatch") == 0);
    CHECK(sink.count("record.file_id_mismatch") == 0);
    CHECK(sink.count("blob.size_mismatch") == 0);
    // 7 databases changed during the backup: without the password only "unverified".
    CHECK(sink.count("blob.size_unverified") == 7);
    CHECK(sink.count("folder.name_mismatch") == 1);
    CHECK(sink.count("orphan.blob") == 0);
    // iMazing left DDNABackup.plist beside the backup.
    CHECK(sink.count("orphan.entry") == 1);
    CHECK(sink.count(Severity::Error) == 1);
    CHECK(outcome->result.verdict == Verdict::Damaged);
    CHECK(test::snapshot_tree(dir) == before);
}

TEST_CASE("real iOS 14.3 Manifest.db: 3,721 rows, every fileID consistent, nothing written",
          "[verify][real]")
{
    fs::path fixtures = real_fixtures();
    if (fixtures.empty()) {
        WARN("skipped: ../shared/fixtures/real is not present");
        return;
    }
    fs::path dir = fixtures / "mvt-ios14-manifest" / "ios_backup";
    auto before = test::snapshot_tree(dir);
    auto outcome = verify_dir(dir, false);
    const VerifyCounts& counts = outcome->result.counts;
    CHECK(counts.records == 3721);
    CHECK(counts.files == 1089);
    CHECK(counts.directories == 2618);
    CHECK(counts.symlinks == 14);
    const FindingSink& sink = outcome->sink;
    CHECK(sink.count("record.file_id_mismatch") == 0);
    CHECK(sink.count("record.unreadable") == 0);
    CHECK(sink.count("record.mode_type_missing") == 0);
    CHECK(sink.count("manifest.unreadable") == 0);
    // No Manifest.plist or Status.plist in this sample; ten stand-in blobs, one unreferenced.
    CHECK(sink.count("manifest_plist.missing") == 1);
    CHECK(sink.count("status_plist.missing") == 1);
    CHECK(sink.count("orphan.blob") == 1);
    CHECK(sink.count("blob.missing") == 1089 - 10);
    // The stand-ins' sizes do not match; every record has an EncryptionKey, so block-aligned ones
    // cannot be judged without the key.
    CHECK(sink.count("blob.size_unverified") + sink.count("blob.size_mismatch") == 10);
    CHECK(outcome->result.verdict == Verdict::Unreadable);
    // A WAL-mode database opened without immutable=1 would have left -wal/-shm files here.
    CHECK(test::snapshot_tree(dir) == before);
}
