// verify at scale: the index is streamed through a pool of --jobs workers, so the findings must not
// depend on the number of workers; the streaming reader must see exactly the rows the whole-index
// reader does; and the finding cap must keep the same findings whatever order they arrive in.
#include "bkcheck/unlock.h"
#include "bkcheck/verifier.h"
#include "manifest_db.h"
#include "mbdb.h"

#include "make_backup/backup_writer.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <tuple>

using namespace bkcheck;
using bkcheck::test::TempDir;

namespace {

// Damage spread over many files, so several codes exceed a small cap and workers race to report
// them: every 7th blob truncated, every 11th deleted, every 13th overwritten with other bytes, plus
// strays.
void damage_many_blobs(const fs::path& dir)
{
    std::vector<fs::path> blobs;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (entry.is_regular_file() && entry.path().parent_path() != dir)
            blobs.push_back(entry.path());
    }
    std::sort(blobs.begin(), blobs.end());
    REQUIRE(blobs.size() > 100);
    for (std::size_t i = 0; i < blobs.size(); ++i) {
        if (i % 11 == 0) {
            fs::remove(blobs[i]);
        } else if (i % 7 == 0) {
            fs::resize_file(blobs[i], fs::file_size(blobs[i]) / 2);
        } else if (i % 13 == 0 && fs::file_size(blobs[i]) > 0) {
            std::fstream(blobs[i], std::ios::in | std::ios::out | std::ios::binary).put('\x5a');
        }
    }
    fs::create_directories(dir / "ab");
    for (int i = 0; i < 20; ++i) {
        std::ofstream(dir / "ab" / (std::string(38, 'c') + std::to_string(10 + i))) << "stray";
    }
}

using FindingKey = std::tuple<std::string, std::string, std::string, std::string>;

struct Outcome {
    std::vector<FindingKey> kept;
    std::map<std::string, std::size_t> totals;
    VerifyCounts counts;
};

Outcome verify_with_jobs(const Backup& backup, unsigned jobs, const ClassKeys* keys)
{
    FindingSink sink(3);  // a small cap: which 3 are kept must not depend on the workers
    VerifyOptions options;
    options.read_data = true;
    options.threads = jobs;
    if (keys != nullptr) options.unlock = [keys]() -> Result<const ClassKeys*> { return keys; };
    auto result = verify_backup(real_file_system(), backup, options, sink);
    REQUIRE(result);
    Outcome outcome{{}, sink.totals(), result->counts};
    for (const Finding& finding : sink.kept()) {
        outcome.kept.emplace_back(finding.code, finding.file_id, finding.path, finding.message);
    }
    return outcome;
}

}  // namespace

TEST_CASE("verify finds the same with 1 and 4 jobs, and reads every blob once",
          "[verify][pipeline]")
{
    for (bool encrypted : {false, true}) {
        DYNAMIC_SECTION((encrypted ? "encrypted" : "not encrypted"))
        {
            TempDir temp;
            testgen::BackupSpec spec;
            spec.file_count = 600;
            spec.encrypted = encrypted;
            spec.seed = 31;
            auto dir = testgen::write_backup(spec, temp.path());
            REQUIRE(dir);
            damage_many_blobs(*dir);
            auto backup = open_backup(real_file_system(), *dir);
            REQUIRE(backup);
            std::optional<UnlockedKeys> keys;
            if (encrypted) {
                auto unlocked = unlock_with_password(*backup, spec.password);
                REQUIRE(unlocked);
                keys = std::move(*unlocked);
            }
            const ClassKeys* class_keys = keys ? keys->class_keys.get() : nullptr;
            Outcome one = verify_with_jobs(*backup, 1, class_keys);
            Outcome four = verify_with_jobs(*backup, 4, class_keys);
            CHECK(one.kept == four.kept);
            CHECK(one.totals == four.totals);
            CHECK(one.counts.records == four.counts.records);
            CHECK(one.counts.blobs_read == four.counts.blobs_read);
            CHECK(one.counts.bytes_read == four.counts.bytes_read);
            CHECK(one.counts.blobs_decrypted == four.counts.blobs_decrypted);
            // Far more workers than the library starts (k_max_threads): capped, same outcome.
            Outcome capped = verify_with_jobs(*backup, 100000, class_keys);
            CHECK(capped.kept == one.kept);
            CHECK(capped.totals == one.totals);
            // The damage shows up as the codes it should, over the cap of 3.
            CHECK(one.totals["blob.missing"] > 3);
            CHECK(one.totals["orphan.blob"] == 20);
            CHECK(one.totals["blob.size_mismatch"] + one.totals["blob.padding_invalid"] > 3);
            CHECK(one.counts.files == 600);
            if (encrypted) CHECK(one.counts.blobs_decrypted == one.counts.blobs_read);
        }
    }
}

TEST_CASE("stream_manifest_db visits the rows read_manifest_db reads, and stops when asked",
          "[manifest_db][pipeline]")
{
    TempDir temp;
    testgen::BackupSpec spec;
    spec.file_count = 300;
    spec.damages = {testgen::Damage::RecordUnreadable};
    auto dir = testgen::write_backup(spec, temp.path());
    REQUIRE(dir);
    auto whole = read_manifest_db(real_file_system(), *dir / "Manifest.db");
    REQUIRE(whole);
    REQUIRE(whole->unreadable.size() == 1);

    std::vector<std::string> decoded_ids, unreadable_ids;
    FileRecord record;  // reused, as verify's workers do
    auto streamed = stream_manifest_db(
        real_file_system(), *dir / "Manifest.db", {}, [&](const ManifestRow& row) {
            if (!decode_manifest_row(row, record)) {
                unreadable_ids.push_back(row.file_id);
                return true;
            }
            decoded_ids.push_back(record.file_id);
            REQUIRE(decoded_ids.size() <= whole->records.size());
            const FileRecord& original = whole->records[decoded_ids.size() - 1];
            CHECK(record.size == original.size);
            CHECK(record.digest == original.digest);
            CHECK(record.relative_path == original.relative_path);
            return true;
        });
    REQUIRE(streamed);
    CHECK(streamed->records.empty());
    CHECK(streamed->index_problems == whole->index_problems);
    REQUIRE(decoded_ids.size() == whole->records.size());
    for (std::size_t i = 0; i < decoded_ids.size(); ++i)
        CHECK(decoded_ids[i] == whole->records[i].file_id);
    CHECK(unreadable_ids == std::vector<std::string>{whole->unreadable[0].file_id});

    std::size_t visited = 0;
    auto stopped = stream_manifest_db(real_file_system(), *dir / "Manifest.db", {},
                                      [&](const ManifestRow&) { return ++visited < 3; });
    REQUIRE(stopped);
    CHECK(visited == 3);

    // The row count comes once, before the first row: what verify sizes its tables by.
    std::vector<std::uint64_t> hints;
    std::size_t rows = 0;
    auto hinted = stream_manifest_db(
        real_file_system(), *dir / "Manifest.db", {},
        [&](const ManifestRow&) {
            REQUIRE(hints.size() == 1);
            ++rows;
            return true;
        },
        [&](std::uint64_t count) {
            CHECK(rows == 0);
            hints.push_back(count);
        });
    REQUIRE(hinted);
    REQUIRE(hints.size() == 1);
    CHECK(hints[0] == rows);
    CHECK(rows == whole->records.size() + whole->unreadable.size());
}

TEST_CASE("verify --read-data queues rows in disk order across several windows: same findings",
          "[verify][pipeline][issue-27]")
{
    // More rows than one window holds (4096), so rows are reordered in more than one group.
    TempDir temp;
    testgen::BackupSpec spec;
    spec.file_count = 4500;
    spec.seed = 41;
    auto dir = testgen::write_backup(spec, temp.path());
    REQUIRE(dir);
    damage_many_blobs(*dir);
    auto backup = open_backup(real_file_system(), *dir);
    REQUIRE(backup);
    Outcome one = verify_with_jobs(*backup, 1, nullptr);
    Outcome two = verify_with_jobs(*backup, 2, nullptr);
    CHECK(one.kept == two.kept);
    CHECK(one.totals == two.totals);
    CHECK(one.counts.files == 4500);
    CHECK(one.counts.records == two.counts.records);
    CHECK(one.counts.blobs_read == two.counts.blobs_read);
    CHECK(one.counts.bytes_read == two.counts.bytes_read);
    // Every blob left in place is read once; every deleted one is missing.
    CHECK(one.counts.blobs_read + one.totals["blob.missing"] == 4500);
    CHECK(one.totals["blob.missing"] > 300);
    CHECK(one.totals["orphan.blob"] == 20);
}

TEST_CASE("FindingSink keeps the same findings whatever order they arrive in", "[findings]")
{
    std::vector<Finding> findings;
    for (int i = 0; i < 40; ++i) {
        findings.push_back(make_finding(i % 2 ? "blob.missing" : "orphan.blob", "m",
                                        "id" + std::to_string(100 + i)));
    }
    auto kept_after = [&](unsigned seed) {
        std::vector<Finding> shuffled = findings;
        std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(seed));
        FindingSink sink(5);
        for (const Finding& finding : shuffled) sink.add(finding);
        std::vector<std::pair<std::string, std::string>> kept;
        for (const Finding& finding : sink.kept()) kept.emplace_back(finding.code, finding.file_id);
        CHECK(sink.count("blob.missing") == 20);
        return kept;
    };
    auto first = kept_after(1);
    REQUIRE(first.size() == 10);
    CHECK(first.front() == std::make_pair(std::string("blob.missing"), std::string("id101")));
    CHECK(first[5] == std::make_pair(std::string("orphan.blob"), std::string("id100")));
    for (unsigned seed = 2; seed < 8; ++seed) CHECK(kept_after(seed) == first);
}

TEST_CASE("verify: a fileID listed twice is a duplicate, whether or not its blob exists",
          "[verify][pipeline]")
{
    // Manifest.db's primary key forbids duplicates; a Manifest.mbdb can hold them.
    TempDir temp;
    testgen::BackupSpec spec;
    spec.format = IndexFormat::ManifestMbdb;
    spec.file_count = 12;
    auto dir = testgen::write_backup(spec, temp.path());
    REQUIRE(dir);
    auto bytes = real_file_system().read_file(*dir / "Manifest.mbdb", 1 << 24);
    REQUIRE(bytes);
    auto index = parse_mbdb(*bytes, "Manifest.mbdb");
    REQUIRE(index);
    std::vector<FileRecord> records = index->records;
    auto first_file = std::find_if(records.begin(), records.end(),
                                   [](const FileRecord& r) { return r.kind == FileKind::File; });
    auto last_file = std::find_if(records.rbegin(), records.rend(),
                                  [](const FileRecord& r) { return r.kind == FileKind::File; });
    REQUIRE(first_file != records.end());
    REQUIRE(last_file != records.rend());
    FileRecord with_blob = *first_file, without_blob = *last_file;
    fs::remove(*dir / blob_relative_path(IndexFormat::ManifestMbdb, without_blob.file_id).value());
    records.push_back(with_blob);
    records.push_back(without_blob);
    records.push_back(without_blob);
    Bytes serialized = serialize_mbdb(records);
    std::ofstream(*dir / "Manifest.mbdb", std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(serialized.data()),
               static_cast<std::streamsize>(serialized.size()));

    auto backup = open_backup(real_file_system(), *dir);
    REQUIRE(backup);
    // With --read-data the rows go through the window read in disk order: fileIDs are claimed
    // when the window (or, without it, the batch) is handed on, so both ways must keep row order.
    for (auto [jobs, read_data] : {std::pair{1u, false}, {3u, false}, {1u, true}, {3u, true}}) {
        CAPTURE(jobs, read_data);
        FindingSink sink(100);
        VerifyOptions options;
        options.threads = jobs;
        options.read_data = read_data;
        REQUIRE(verify_backup(real_file_system(), *backup, options, sink));
        std::map<std::string, std::size_t> duplicates;
        for (const Finding& finding : sink.kept()) {
            if (finding.code == "record.duplicate") ++duplicates[finding.file_id];
        }
        // Each repeat after the first is reported; the first listing is not.
        CHECK(duplicates == std::map<std::string, std::size_t>{{with_blob.file_id, 1},
                                                               {without_blob.file_id, 2}});
        CHECK(sink.totals().count("orphan.blob") == 0);
    }
}
