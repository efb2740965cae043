// verify --deep on generated backups holding real-shaped content (plain and encrypted, Manifest.db
// and mbdb): sound files reach level content, each damage gives one content.* finding naming the
// file, and encrypted content is decrypted in memory only.
#include "bkcheck/report.h"
#include "bkcheck/unlock.h"
#include "bkcheck/verifier.h"

#include "make_backup/backup_writer.h"
#include "make_backup/sample_content.h"
#include "support/file_contents.h"
#include "support/index_variants.h"
#include "support/temp_dir.h"
#include "support/tree_snapshot.h"
#include "support/utf8_path.h"

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <optional>

using namespace bkcheck;
namespace fs = std::filesystem;

namespace {

struct Outcome {
    Result<VerifyResult> result = make_error(ErrorCode::Internal, "", "not run");
    FindingSink sink{1000};
};

std::unique_ptr<Outcome> verify_deep(const fs::path& dir, bool encrypted, bool deep = true)
{
    auto backup = open_backup(real_file_system(), dir);
    REQUIRE(backup);
    auto outcome = std::make_unique<Outcome>();
    VerifyOptions options;
    options.deep = deep;
    options.read_data = !deep;
    std::optional<Result<UnlockedKeys>> unlocked;
    if (encrypted) {
        options.unlock = [&]() -> Result<const ClassKeys*> {
            unlocked.emplace(unlock_with_password(*backup, "bkcheck-demo"));
            if (!*unlocked) return unlocked->error();
            return (*unlocked)->class_keys.get();
        };
    }
    outcome->result = verify_backup(real_file_system(), *backup, options, outcome->sink);
    return outcome;
}

testgen::BackupSpec spec_with(IndexFormat format, bool encrypted,
                              std::vector<testgen::BackupSpec::ChosenFile> files)
{
    testgen::BackupSpec spec;
    spec.format = format;
    spec.encrypted = encrypted;
    spec.file_count = 0;  // only the chosen files: the generator's others are random bytes
    spec.chosen_files = std::move(files);
    return spec;
}

std::optional<Finding> finding_for(const FindingSink& sink, std::string_view path)
{
    for (const Finding& finding : sink.kept()) {
        if (finding.path == path) return finding;
    }
    return std::nullopt;
}

Bytes cut(Bytes bytes, std::size_t keep)
{
    bytes.resize(keep);
    return bytes;
}

}  // namespace

TEST_CASE("verify --deep: sound content reaches level content", "[verify][deep]")
{
    test::for_each_variant([](IndexFormat format, bool encrypted) {
        test::TempDir temp;
        auto files = testgen::sample_files(3'000'000, 7);
        auto dir = testgen::write_backup(spec_with(format, encrypted, files), temp.path());
        REQUIRE(dir);
        auto before = test::snapshot_tree(temp.path());
        auto outcome = verify_deep(*dir, encrypted);
        REQUIRE(outcome->result);
        for (const Finding& finding : outcome->sink.kept())
            FAIL_CHECK(finding.code << " " << finding.path << ": " << finding.message);
        const VerifyCounts& counts = outcome->result->counts;
        CHECK(outcome->result->verdict == Verdict::Ok);
        CHECK(counts.deep);
        CHECK(counts.blobs_decoded == files.size());
        // Files with a Digest (HomeDomain) stay at digest, the strongest level; the rest decode.
        CHECK(counts.levels.digest + counts.levels.content == files.size());
        CHECK(counts.levels.content > 0);
        CHECK(counts.levels.length == 0);
        // Nothing written: not beside the backup, and no plaintext anywhere in it.
        CHECK(test::snapshot_tree(temp.path()) == before);
    });
}

TEST_CASE("verify --deep: each damage is one content finding, in plain and encrypted backups",
          "[verify][deep]")
{
    test::for_each_variant([](IndexFormat format, bool encrypted) {
        Bytes db = testgen::sample_sqlite(2000, 8);
        std::fill_n(db.begin() + 3 * 4096, 4096, 0);  // a zeroed page
        Bytes plist = testgen::sample_plist(true, true);
        Bytes movie = testgen::sample_movie(400'000, 8);
        Bytes jpeg = testgen::sample_jpeg(300'000, 8);
        Bytes padded_movie = testgen::sample_movie(100'000, 8, true);
        padded_movie.insert(padded_movie.end(), 4, 0);  // a 0-size terminator: sound (trial)
        std::vector<testgen::BackupSpec::ChosenFile> files = {
            {"AppDomain-com.example.notes", "Library/notes.sqlite", db},
            {"AppDomain-com.example.notes", "Library/Preferences/state.plist", cut(plist, 40)},
            {"CameraRollDomain", "Media/DCIM/100APPLE/IMG_0007.MP4", cut(movie, 250'000)},
            {"CameraRollDomain", "Media/DCIM/100APPLE/IMG_0008.JPG", cut(jpeg, 150'000)},
            {"CameraRollDomain", "Media/DCIM/100APPLE/IMG_0009.HEIC",
             testgen::sample_jpeg(5000, 9)},
            {"CameraRollDomain", "Media/DCIM/100APPLE/IMG_0010.PNG", testgen::sample_png(9000, 9)},
            {"CameraRollDomain", "Media/DCIM/100APPLE/IMG_0011.MOV", padded_movie},
        };
        test::TempDir temp;
        auto dir = testgen::write_backup(spec_with(format, encrypted, files), temp.path());
        REQUIRE(dir);
        auto outcome = verify_deep(*dir, encrypted);
        REQUIRE(outcome->result);
        const FindingSink& sink = outcome->sink;
        struct Expected {
            const char* path;
            std::string_view code;
        } expected[] = {
            {"Library/notes.sqlite", finding_code::content_sqlite_corrupt},
            {"Library/Preferences/state.plist", finding_code::content_plist_unreadable},
            {"Media/DCIM/100APPLE/IMG_0007.MP4", finding_code::content_media_truncated},
            {"Media/DCIM/100APPLE/IMG_0008.JPG", finding_code::content_media_truncated},
            {"Media/DCIM/100APPLE/IMG_0009.HEIC", finding_code::content_type_mismatch},
        };
        for (const Expected& want : expected) {
            INFO(want.path);
            auto finding = finding_for(sink, want.path);
            REQUIRE(finding);
            CHECK(finding->code == want.code);
        }
        CHECK_FALSE(finding_for(sink, "Media/DCIM/100APPLE/IMG_0010.PNG"));
        CHECK_FALSE(finding_for(sink, "Media/DCIM/100APPLE/IMG_0011.MOV"));
        CHECK(sink.kept().size() == std::size(expected));
        const VerifyCounts& counts = outcome->result->counts;
        CHECK(outcome->result->verdict == Verdict::Damaged);
        CHECK(counts.levels.damaged == 4);
        // The PNG, the padded movie, and the JPEG named .HEIC (a warning only).
        CHECK(counts.levels.content == 3);

        // Without --deep the same backup is sound as far as --read-data can tell.
        auto shallow = verify_deep(*dir, encrypted, false);
        REQUIRE(shallow->result);
        CHECK(shallow->result->verdict == Verdict::Ok);
        CHECK(shallow->result->counts.levels.content == 0);
    });
}

TEST_CASE("verify --deep: a database's -wal in the backup is applied to a private copy",
          "[verify][deep]")
{
    // In an encrypted backup the -wal has a key of its own (in its row of the index), and it is
    // decrypted in memory as the database is.
    const bool encrypted = GENERATE(false, true);
    INFO((encrypted ? "encrypted" : "plain"));
    // A WAL-mode database as an app leaves it mid-use: checkpointed once, then its table rewritten,
    // so the table's newest page is in the -wal. The main file's old copy of that page is zeroed:
    // damage only if the -wal is not applied (which is what SQLite, and the app, would read).
    test::TempDir scratch;
    fs::path file = scratch.path() / "live.sqlite";
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(test::utf8_path(file).c_str(), &db) == SQLITE_OK);
    REQUIRE(
        sqlite3_exec(db,
                     "PRAGMA page_size=4096; PRAGMA journal_mode=WAL; "
                     "PRAGMA wal_autocheckpoint=0; CREATE TABLE t(x); "
                     "INSERT INTO t VALUES ('a'), ('b'), ('c'); PRAGMA wal_checkpoint(TRUNCATE); "
                     "UPDATE t SET x = x || ' changed';",
                     nullptr, nullptr, nullptr) == SQLITE_OK);
    Bytes main_file = test::read_bytes(file);
    Bytes wal = test::read_bytes(file.string() + "-wal");
    sqlite3_close(db);
    REQUIRE(main_file.size() == 2 * 4096);
    REQUIRE(wal.size() > 4096);
    std::fill(main_file.begin() + 4096, main_file.end(), 0);  // page 2, table t, as checkpointed
    std::vector<testgen::BackupSpec::ChosenFile> files = {
        {"AppDomain-com.example.app", "Library/live.sqlite", main_file},
        {"AppDomain-com.example.app", "Library/live.sqlite-wal", wal},
    };
    SECTION("with its -wal: sound")
    {
        test::TempDir temp;
        auto dir = testgen::write_backup(spec_with(IndexFormat::ManifestDb, encrypted, files),
                                         temp.path());
        REQUIRE(dir);
        auto before = test::snapshot_tree(temp.path());
        auto outcome = verify_deep(*dir, encrypted);
        REQUIRE(outcome->result);
        CHECK(outcome->sink.kept().empty());
        CHECK(outcome->result->counts.blobs_decoded == 1);  // the -wal is no type of its own
        CHECK(outcome->result->counts.levels.content == 1);
        CHECK(test::snapshot_tree(temp.path()) == before);  // nothing written, no -shm
    }
    SECTION("without it: the zeroed page is damage")
    {
        files.pop_back();
        test::TempDir temp;
        auto dir = testgen::write_backup(spec_with(IndexFormat::ManifestDb, encrypted, files),
                                         temp.path());
        REQUIRE(dir);
        auto outcome = verify_deep(*dir, encrypted);
        REQUIRE(outcome->result);
        CHECK(outcome->sink.count(finding_code::content_sqlite_corrupt) == 1);
    }
}

TEST_CASE("verify --deep: a plist over 8 MiB is counted as not decoded, with why (trial)",
          "[verify][deep]")
{
    test::for_each_variant([](IndexFormat format, bool encrypted) {
        // A sound XML plist of 9 MiB (an app's cache can be): read whole it would cost the memory
        // bound, so it is left undecoded, and the counts and the summary say so.
        std::string xml =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">"
            "<string>";
        xml.append(9u << 20, 'a');
        xml += "</string></plist>\n";
        std::vector<testgen::BackupSpec::ChosenFile> files = {
            {"AppDomain-com.example.app", "Library/Caches/big.plist",
             Bytes(xml.begin(), xml.end())},
            {"AppDomain-com.example.app", "Library/Preferences/small.plist",
             testgen::sample_plist(false, true)},
        };
        test::TempDir temp;
        auto dir = testgen::write_backup(spec_with(format, encrypted, files), temp.path());
        REQUIRE(dir);
        auto outcome = verify_deep(*dir, encrypted);
        REQUIRE(outcome->result);
        CHECK(outcome->sink.kept().empty());
        const VerifyCounts& counts = outcome->result->counts;
        CHECK(counts.blobs_decoded == 1);  // the small one; the large one was not looked into
        CHECK(counts.not_decoded.plist_too_large == 1);
        CHECK(counts.not_decoded.total() == 1);
        CHECK(counts.levels.content == 1);
        CHECK(counts.levels.length == 1);
        auto backup = open_backup(real_file_system(), *dir);
        REQUIRE(backup);
        std::string text =
            render_verify_text(*backup, std::nullopt, *outcome->result, outcome->sink);
        CHECK(text.find("Not decoded (1, left at their other levels, not called damaged): 1 "
                        "property list over 8 MiB") != std::string::npos);
        std::string json =
            render_verify_json(*backup, std::nullopt, *outcome->result, outcome->sink);
        CHECK(json.find("\"plist_too_large\": 1") != std::string::npos);
    });
}
