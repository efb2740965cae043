// Issue 20: verdicts that say exactly what was checked. Never "ok" for what was not examined (the
// verdict unchecked), every file counted by the level it was verified to, one finding per damaged
// file, and damage that used to pass as ok (an index with no rows, a size that overflows the padded
// length, dates from 2069 on).
#include "bkcheck/prune.h"
#include "bkcheck/report.h"
#include "bkcheck/unlock.h"
#include "bkcheck/verifier.h"
#include "mbdb.h"
#include "plist.h"

#include "make_backup/backup_writer.h"
#include "support/file_contents.h"
#include "support/index_variants.h"
#include "support/temp_dir.h"
#include "support/utf8_path.h"

#include <plist/plist.h>
#include <sqlite3.h>
#include <catch2/catch.hpp>

#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <set>

using namespace bkcheck;
namespace fs = std::filesystem;

namespace {

struct Outcome {
    Result<VerifyResult> result = make_error(ErrorCode::Internal, "", "not run");
    FindingSink sink{1000};
};

// Verifies `dir`; with a password, unlocked as the CLI would.
std::unique_ptr<Outcome> verify_dir(const fs::path& dir, bool read_data,
                                    const std::string& password = "")
{
    auto backup = open_backup(real_file_system(), dir);
    REQUIRE(backup);
    auto outcome = std::make_unique<Outcome>();
    VerifyOptions options;
    options.read_data = read_data;
    std::optional<Result<UnlockedKeys>> unlocked;
    if (!password.empty()) {
        options.unlock = [&]() -> Result<const ClassKeys*> {
            unlocked.emplace(unlock_with_password(*backup, password));
            if (!*unlocked) return unlocked->error();
            return (*unlocked)->class_keys.get();
        };
    }
    outcome->result = verify_backup(real_file_system(), *backup, options, outcome->sink);
    REQUIRE(outcome->result);
    return outcome;
}

fs::path generate(const fs::path& parent, IndexFormat format, bool encrypted, int files = 20)
{
    testgen::BackupSpec spec;
    spec.format = format;
    spec.encrypted = encrypted;
    spec.file_count = files;
    auto dir = testgen::write_backup(spec, parent);
    REQUIRE(dir);
    return *dir;
}

std::uint64_t level_total(const VerifyCounts::Levels& levels)
{
    return levels.digest + levels.content + levels.length + levels.present + levels.not_checked +
           levels.damaged;
}

// The blobs of a backup, in path order.
std::vector<fs::path> blobs_of(const fs::path& dir)
{
    std::vector<fs::path> blobs;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file()) continue;
        std::string name = entry.path().filename().string();
        if (name.size() == 40 && name.find('.') == std::string::npos) blobs.push_back(entry.path());
    }
    std::sort(blobs.begin(), blobs.end());
    return blobs;
}

}  // namespace

TEST_CASE("an encrypted Manifest.db without the password is unchecked, never ok",
          "[verify][verdict]")
{
    test::for_each_variant([](IndexFormat format, bool encrypted) {
        test::TempDir temp;
        fs::path dir = generate(temp.path(), format, encrypted);
        auto outcome = verify_dir(dir, false);
        const VerifyResult& result = *outcome->result;
        if (encrypted && format == IndexFormat::ManifestDb) {
            CHECK(result.verdict == Verdict::Unchecked);
            CHECK_FALSE(result.counts.index_examined);
            CHECK(result.counts.records == 0);
            auto backup = open_backup(real_file_system(), dir);
            std::string text = render_verify_text(*backup, std::nullopt, result, outcome->sink);
            CHECK(text.find("Verdict: unchecked.") != std::string::npos);
            CHECK(text.find("Not examined: the index") != std::string::npos);
            CHECK(result.counts.blobs_found == 20);
            CHECK(text.find("(20 blobs are in the backup's folders, none checked)") !=
                  std::string::npos);
            CHECK(render_verify_json(*backup, std::nullopt, result, outcome->sink)
                      .find("\"verdict\": \"unchecked\"") != std::string::npos);
        } else {
            CHECK(result.verdict == Verdict::Ok);
            CHECK(result.counts.index_examined);
        }
    });
}

TEST_CASE("every file is counted by the level it was verified to", "[verify][verdict]")
{
    test::for_each_variant([](IndexFormat format, bool encrypted) {
        test::TempDir temp;
        fs::path dir = generate(temp.path(), format, encrypted);
        if (encrypted && format == IndexFormat::ManifestDb)
            return;  // unchecked without the password (above)
        auto structural = verify_dir(dir, false);
        const VerifyCounts& counts = structural->result->counts;
        REQUIRE(structural->result->verdict == Verdict::Ok);
        CHECK(level_total(counts.levels) == counts.blobs_checked);
        CHECK(counts.levels.digest == 0);  // nothing read
        if (encrypted) {
            // Length without the padding is not the length level: present only.
            CHECK(counts.levels.present == counts.blobs_checked);
        } else {
            CHECK(counts.levels.length == counts.blobs_checked);
        }
        auto backup = open_backup(real_file_system(), dir);
        std::string text =
            render_verify_text(*backup, std::nullopt, *structural->result, structural->sink);
        CHECK(text.find("Files verified to: 0 digest") != std::string::npos);
        CHECK(text.find("content was read") == std::string::npos);
    });
}

TEST_CASE("with --read-data every file is verified to digest or length", "[verify][verdict]")
{
    test::for_each_variant([](IndexFormat format, bool encrypted) {
        test::TempDir temp;
        fs::path dir = generate(temp.path(), format, encrypted);
        auto read = verify_dir(dir, true, encrypted ? "bkcheck-demo" : "");
        const VerifyCounts& counts = read->result->counts;
        REQUIRE(read->result->verdict == Verdict::Ok);
        CHECK(level_total(counts.levels) == counts.blobs_checked);
        CHECK(counts.levels.digest + counts.levels.length == counts.blobs_checked);
        CHECK(counts.levels.present == 0);
        auto backup = open_backup(real_file_system(), dir);
        std::string json = render_verify_json(*backup, std::nullopt, *read->result, read->sink);
        CHECK(json.find("\"levels\": {\n      \"digest\": " + std::to_string(counts.levels.digest) +
                        ",") != std::string::npos);
        std::string text = render_verify_text(*backup, std::nullopt, *read->result, read->sink);
        // Worded from the levels: "every file ... matched" only when every one had a SHA-1 to
        // match.
        if (counts.levels.digest < counts.blobs_checked) {
            CHECK(text.find("as far as checked") != std::string::npos);
        }
    });
}

TEST_CASE("a truncated blob is one finding, its other facts in the message", "[verify][verdict]")
{
    test::for_each_variant([](IndexFormat format, bool encrypted) {
        test::TempDir temp;
        fs::path dir = generate(temp.path(), format, encrypted);
        std::vector<fs::path> blobs = blobs_of(dir);
        REQUIRE(blobs.size() >= 20);
        std::size_t truncated = 0;
        for (const fs::path& blob : blobs) {
            auto size = fs::file_size(blob);
            if (size < 40) continue;
            fs::resize_file(blob, size - 5);  // encrypted: no longer whole blocks either
            if (++truncated == 5) break;
        }
        REQUIRE(truncated == 5);
        auto outcome = verify_dir(dir, true, encrypted ? "bkcheck-demo" : "");
        if (encrypted && format == IndexFormat::ManifestDb)
            REQUIRE(outcome->result->counts.index_examined);
        const FindingSink& sink = outcome->sink;
        CHECK(sink.count("blob.size_mismatch") == 5);
        CHECK(sink.count("blob.digest_mismatch") == 0);
        CHECK(sink.count("blob.padding_invalid") == 0);
        CHECK(sink.count(Severity::Error) == 5);
        std::set<std::string> files;
        for (const Finding& finding : sink.kept()) {
            if (finding.severity == Severity::Error) CHECK(files.insert(finding.file_id).second);
        }
        CHECK(outcome->result->counts.levels.damaged == 5);
        CHECK(outcome->result->verdict == Verdict::Damaged);
    });
}

TEST_CASE("an index with no rows beside blobs is damage, and prune calls no blob an orphan",
          "[verify][verdict][prune]")
{
    for (IndexFormat format : {IndexFormat::ManifestDb, IndexFormat::ManifestMbdb}) {
        DYNAMIC_SECTION((format == IndexFormat::ManifestDb ? "Manifest.db" : "Manifest.mbdb"))
        {
            test::TempDir temp;
            fs::path root = temp.path() / "root";
            fs::path dir = generate(root, format, false, 40);
            if (format == IndexFormat::ManifestDb) {
                sqlite3* db = nullptr;
                REQUIRE(sqlite3_open(test::utf8_path(dir / "Manifest.db").c_str(), &db) ==
                        SQLITE_OK);
                REQUIRE(sqlite3_exec(db, "DELETE FROM Files", nullptr, nullptr, nullptr) ==
                        SQLITE_OK);
                sqlite3_close(db);
            } else {
                Bytes header = mbdb_header();
                std::ofstream(dir / "Manifest.mbdb", std::ios::binary | std::ios::trunc)
                    .write(reinterpret_cast<const char*>(header.data()),
                           static_cast<std::streamsize>(header.size()));
            }
            auto outcome = verify_dir(dir, false);
            CHECK(outcome->sink.count("manifest.empty") == 1);
            CHECK(outcome->sink.count("orphan.blob") == 0);
            CHECK(outcome->result->verdict == Verdict::Unreadable);

            auto backup = open_backup(real_file_system(), dir);
            REQUIRE(backup);
            PruneOptions options;
            auto plan = plan_prune(real_file_system(), root, {*backup}, options);
            REQUIRE(plan);
            for (const Action& action : plan->actions) CHECK(action.kind != "remove_orphan_blobs");
        }
    }
}

TEST_CASE("an mbdb size near 2^64 does not wrap the padded length round to an empty blob",
          "[verify][verdict]")
{
    test::TempDir temp;
    fs::path dir = generate(temp.path(), IndexFormat::ManifestMbdb, true);
    Bytes bytes = test::read_bytes(dir / "Manifest.mbdb");
    auto index = parse_mbdb(bytes, "Manifest.mbdb");
    REQUIRE(index);
    FileRecord* target = nullptr;
    for (FileRecord& record : index->records) {
        if (record.kind == FileKind::File && target == nullptr) target = &record;
    }
    REQUIRE(target != nullptr);
    target->size = 0xFFFFFFFFFFFFFFF0ull;
    Bytes rewritten = serialize_mbdb(index->records);
    std::ofstream(dir / "Manifest.mbdb", std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(rewritten.data()),
               static_cast<std::streamsize>(rewritten.size()));
    fs::resize_file(dir / target->file_id, 0);
    auto outcome = verify_dir(dir, false);
    CHECK(outcome->sink.count("blob.size_mismatch") == 1);
    CHECK(outcome->result->verdict == Verdict::Damaged);
}

TEST_CASE("plist dates from 2069 on are read as they are, not wrapped round to 1932",
          "[plist][verdict]")
{
    // 2070-01-01T00:00:00Z: 3155760000 s after 1970, past what 32-bit seconds since 2001 can hold.
    constexpr std::int64_t k_2070 = 3155760000;
    for (bool binary : {true, false}) {
        plist_t dict = plist_new_dict();
        plist_dict_set_item(dict, "Date", plist_new_date(0, 0));
        char* data = nullptr;
        std::uint32_t length = 0;
        if (binary) {
            plist_to_bin(dict, &data, &length);
        } else {
            plist_to_xml(dict, &data, &length);
        }
        std::string text(data, length);
        std::free(data);
        plist_free(dict);
        if (binary) {
            // The date's double (seconds since 2001) is the 8 bytes after its 0x33 marker.
            std::size_t at = text.find('\x33', 8);
            REQUIRE(at != std::string::npos);
            double seconds = static_cast<double>(k_2070 - 978307200);
            std::uint64_t bits = 0;
            std::memcpy(&bits, &seconds, sizeof bits);
            for (int i = 0; i < 8; ++i) text[at + 1 + i] = static_cast<char>(bits >> (56 - 8 * i));
        } else {
            std::size_t at = text.find("2001-01-01T00:00:00Z");
            REQUIRE(at != std::string::npos);
            text.replace(at, 20, "2070-01-01T00:00:00Z");
        }
        auto parsed = PlistDocument::parse(
            ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()), "test");
        REQUIRE(parsed);
        CHECK(parsed->root()["Date"].date_unix() == k_2070);
    }
}

TEST_CASE("a flipped byte at the end of Manifest.mbdb is one finding, its lost blob no orphan",
          "[verify][verdict]")
{
    for (bool encrypted : {false, true}) {
        DYNAMIC_SECTION((encrypted ? "encrypted" : "plain"))
        {
            test::TempDir temp;
            fs::path dir = generate(temp.path(), IndexFormat::ManifestMbdb, encrypted);
            std::fstream file(dir / "Manifest.mbdb",
                              std::ios::binary | std::ios::in | std::ios::out);
            file.seekg(-1, std::ios::end);
            char last = 0;
            file.read(&last, 1);
            file.seekp(-1, std::ios::end);
            last = static_cast<char>(last ^ 0xFF);
            file.write(&last, 1);
            file.close();
            auto outcome = verify_dir(dir, false);
            CHECK(outcome->sink.count("manifest.unreadable") == 1);
            CHECK(outcome->sink.count("orphan.blob") == 0);
            CHECK(outcome->sink.kept().size() == 1);
        }
    }
}
