// The damage matrix: every kind of damage the generator can make, on both index formats (and on
// encrypted mbdb backups, whose index is readable without a password), must produce exactly the
// finding it is meant to and nothing else; healthy backups produce no finding at all.
#include "bkcheck/unlock.h"
#include "bkcheck/verifier.h"

#include "make_backup/backup_writer.h"
#include "support/temp_dir.h"
#include "support/tree_snapshot.h"

#include <catch2/catch.hpp>

#include <set>

using namespace bkcheck;
using bkcheck::test::TempDir;

namespace {

struct Variant {
    const char* name;
    IndexFormat format;
    bool encrypted;
    bool binary_plists;
    bool with_password = false;  // verify unlocks with the generator's password
};

const Variant k_variants[] = {
    {"Manifest.db", IndexFormat::ManifestDb, false, true},
    {"Manifest.mbdb", IndexFormat::ManifestMbdb, false, false},
    {"encrypted Manifest.mbdb", IndexFormat::ManifestMbdb, true, false},
    {"encrypted Manifest.mbdb, password", IndexFormat::ManifestMbdb, true, false, true},
    {"encrypted Manifest.db, password", IndexFormat::ManifestDb, true, true, true},
};

struct Run {
    VerifyResult result;
    std::set<std::string> codes;
    std::size_t errors = 0;
};

Run verify_generated(const testgen::BackupSpec& spec, const fs::path& parent, bool read_data = true,
                     bool with_password = false)
{
    auto dir = testgen::write_backup(spec, parent);
    REQUIRE(dir);
    auto backup = open_backup(real_file_system(), *dir);
    REQUIRE(backup);
    FindingSink sink;
    VerifyOptions options;
    options.read_data = read_data;
    std::optional<Result<UnlockedKeys>> unlocked;
    if (with_password) {
        options.unlock = [&]() -> Result<const ClassKeys*> {
            unlocked.emplace(unlock_with_password(*backup, spec.password));
            if (!*unlocked) return unlocked->error();
            return (*unlocked)->class_keys.get();
        };
    }
    auto before = test::snapshot_tree(*dir);
    auto result = verify_backup(real_file_system(), *backup, options, sink);
    REQUIRE(result);
    CHECK(test::snapshot_tree(*dir) == before);  // verify is read-only, whatever it found
    Run run{*result, {}, sink.count(Severity::Error)};
    for (const auto& [code, total] : sink.totals()) run.codes.insert(code);
    return run;
}

testgen::BackupSpec spec_for(const Variant& variant)
{
    testgen::BackupSpec spec;
    spec.format = variant.format;
    spec.encrypted = variant.encrypted;
    spec.binary_plists = variant.binary_plists;
    spec.file_count = 30;
    return spec;
}

}  // namespace

TEST_CASE("healthy generated backups verify with no finding", "[verify][matrix]")
{
    for (const Variant& variant : k_variants) {
        DYNAMIC_SECTION(variant.name)
        {
            TempDir temp;
            Run run = verify_generated(spec_for(variant), temp.path(), true, variant.with_password);
            CHECK(run.codes.empty());
            if (variant.with_password) CHECK(run.result.counts.blobs_decrypted == 30);
            CHECK(run.result.verdict == Verdict::Ok);
            CHECK(run.result.counts.files == 30);
            CHECK(run.result.counts.blobs_checked == 30);
            CHECK(run.result.counts.blobs_read == 30);
            CHECK(run.result.counts.directories > 0);
            CHECK(run.result.counts.symlinks > 0);
        }
    }
}

TEST_CASE("each damage gives exactly its finding", "[verify][matrix]")
{
    for (const Variant& variant : k_variants) {
        // Without the password an encrypted Manifest.db hides every record: nothing to match.
        if (variant.format == IndexFormat::ManifestDb && variant.encrypted &&
            !variant.with_password)
            continue;
        for (testgen::Damage damage : testgen::all_damages()) {
            if (!testgen::damage_applies(damage, variant.format, variant.encrypted)) continue;
            DYNAMIC_SECTION(variant.name << ": " << testgen::damage_name(damage))
            {
                TempDir temp;
                testgen::BackupSpec spec = spec_for(variant);
                spec.damages = {damage};
                Run run = verify_generated(spec, temp.path(), true, variant.with_password);
                std::string expected = testgen::expected_finding(damage);
                if (damage == testgen::Damage::BlobSizeMismatch && variant.encrypted) {
                    // 16 appended bytes: whole blocks, so only decryption tells (by the padding).
                    expected =
                        variant.with_password ? "blob.padding_invalid" : "blob.size_unverified";
                }
                // Exactly one: when Manifest.plist (and with it the key of an encrypted index) is
                // lost, the index is not examined, not called damaged (repair could not salvage
                // it).
                std::set<std::string> expected_codes{expected};
                CHECK(run.codes == expected_codes);
                bool is_error = finding_kind(expected).severity == Severity::Error;
                CHECK((run.result.verdict == Verdict::Ok) == !is_error);
            }
        }
    }
}

TEST_CASE("verdicts: interrupted backups are incomplete, a lost index is unreadable",
          "[verify][matrix]")
{
    TempDir temp;
    testgen::BackupSpec spec = spec_for(k_variants[0]);
    spec.damages = {testgen::Damage::SnapshotDirPresent};
    CHECK(verify_generated(spec, temp.path() / "a").result.verdict == Verdict::Incomplete);
    spec.damages = {testgen::Damage::ManifestMissing};
    CHECK(verify_generated(spec, temp.path() / "b").result.verdict == Verdict::Unreadable);
    spec.damages = {testgen::Damage::BlobMissing, testgen::Damage::OrphanBlob};
    Run run = verify_generated(spec, temp.path() / "c");
    CHECK(run.result.verdict == Verdict::Damaged);
    CHECK(run.codes == std::set<std::string>{"blob.missing", "orphan.blob"});
}

TEST_CASE("a digest mismatch is only seen when blobs are read", "[verify][matrix]")
{
    TempDir temp;
    testgen::BackupSpec spec = spec_for(k_variants[0]);
    spec.damages = {testgen::Damage::BlobDigestMismatch};
    Run structural = verify_generated(spec, temp.path() / "a", false);
    CHECK(structural.codes.empty());
    CHECK(structural.result.counts.bytes_read == 0);
    Run full = verify_generated(spec, temp.path() / "b", true);
    CHECK(full.codes == std::set<std::string>{"blob.digest_mismatch"});
    CHECK(full.result.counts.bytes_read > 0);
}
