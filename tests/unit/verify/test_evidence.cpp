// verify with an EvidenceRecorder (verify --report): one entry per index row; the SHA-256 of each
// blob as stored and, encrypted, of the plaintext equal those of the generator's bytes (the
// generator encrypts with OpenSSL directly, not with the reader's code); nothing is claimed of a
// blob that is missing or was not read; the report file is JSON Lines ending with its trailer.
#include "bkcheck/backup_index.h"
#include "bkcheck/unlock.h"
#include "bkcheck/verifier.h"
#include "crypto.h"
#include "evidence.h"
#include "verify_report.h"

#include "make_backup/backup_writer.h"
#include "make_backup/content.h"
#include "support/file_contents.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>

using namespace bkcheck;
namespace fs = std::filesystem;

namespace {

using test::read_bytes;

struct Run {
    Backup backup;
    std::optional<UnlockedKeys> keys;
    VerifyResult result;
    FindingSink sink{100000};
    std::vector<EvidenceEntry> entries;
};

std::unique_ptr<Run> verify_with_evidence(const fs::path& dir, const std::string& password,
                                          bool read_data)
{
    auto backup = open_backup(real_file_system(), dir);
    REQUIRE(backup);
    auto run = std::make_unique<Run>();
    run->backup = *backup;
    EvidenceRecorder recorder;
    VerifyOptions options;
    options.read_data = read_data;
    options.evidence = &recorder;
    if (backup->encrypted) {
        options.unlock = [&]() -> Result<const ClassKeys*> {
            auto keys = unlock_with_password(run->backup, password);
            if (!keys) return keys.error();
            run->keys = std::move(*keys);
            return run->keys->class_keys.get();
        };
    }
    auto result = verify_backup(real_file_system(), run->backup, options, run->sink);
    REQUIRE(result);
    run->result = *result;
    run->entries = recorder.take();
    return run;
}

}  // namespace

TEST_CASE("evidence: every entry, its blob's SHA-256 as stored and as plaintext", "[evidence]")
{
    for (IndexFormat format : {IndexFormat::ManifestDb, IndexFormat::ManifestMbdb}) {
        for (bool encrypted : {false, true}) {
            INFO("mbdb " << (format == IndexFormat::ManifestMbdb) << " encrypted " << encrypted);
            test::TempDir temp;
            testgen::BackupSpec spec;
            spec.format = format;
            spec.encrypted = encrypted;
            spec.file_count = 25;
            auto dir = testgen::write_backup(spec, temp.path() / "backups");
            REQUIRE(dir);
            auto run = verify_with_evidence(*dir, spec.password, true);
            CHECK(run->result.verdict == Verdict::Ok);
            REQUIRE(run->entries.size() == run->result.counts.records);
            std::size_t files = 0;
            for (const EvidenceEntry& entry : run->entries) {
                INFO(entry.domain << "/" << entry.path);
                CHECK(entry.codes.empty());
                if (entry.kind != "file") {
                    CHECK(entry.level == "record");
                    CHECK_FALSE(entry.sha256_stored);
                    continue;
                }
                ++files;
                CHECK((entry.level == "digest" || entry.level == "length"));
                FileRecord record;
                record.file_id = entry.file_id;
                record.domain = entry.domain;
                record.relative_path = entry.path;
                record.size = *entry.size;
                Bytes plaintext = testgen::make_content(record, spec.seed);
                fs::path blob = *dir / *blob_relative_path(format, entry.file_id);
                Bytes stored = read_bytes(blob);
                REQUIRE(entry.stored_length == stored.size());
                REQUIRE(entry.sha256_stored);
                CHECK(*entry.sha256_stored == sha256(stored));
                if (encrypted) {
                    REQUIRE(entry.sha256_plain);
                    CHECK(*entry.sha256_plain == sha256(plaintext));
                } else {
                    CHECK(stored == plaintext);
                    CHECK_FALSE(entry.sha256_plain);
                }
            }
            CHECK(files == run->result.counts.files);
        }
    }
}

TEST_CASE("evidence: nothing is claimed of what was not read", "[evidence]")
{
    test::TempDir temp;
    testgen::BackupSpec spec;
    spec.encrypted = true;
    spec.file_count = 10;
    spec.damages = {testgen::Damage::BlobMissing};
    auto dir = testgen::write_backup(spec, temp.path() / "backups");
    REQUIRE(dir);
    auto run = verify_with_evidence(*dir, spec.password, true);
    std::size_t missing = 0;
    for (const EvidenceEntry& entry : run->entries) {
        if (entry.codes == std::vector<std::string>{"blob.missing"}) {
            ++missing;
            CHECK(entry.level == "damaged");
            CHECK_FALSE(entry.stored_length);
            CHECK_FALSE(entry.sha256_stored);
            CHECK_FALSE(entry.sha256_plain);
        }
    }
    CHECK(missing == 1);

    // Without --read-data no blob is read: lengths, but no digest of anything.
    auto structural = verify_with_evidence(*dir, spec.password, false);
    for (const EvidenceEntry& entry : structural->entries) {
        CHECK_FALSE(entry.sha256_stored);
        CHECK_FALSE(entry.sha256_plain);
    }
    // Without the password: the stored bytes' SHA-256, never a plaintext one. (An encrypted
    // Manifest.db cannot be read without it, so an iOS 9 backup, whose index is plaintext.)
    spec.format = IndexFormat::ManifestMbdb;
    spec.damages.clear();
    auto mbdb = testgen::write_backup(spec, temp.path() / "mbdb");
    REQUIRE(mbdb);
    auto backup = open_backup(real_file_system(), *mbdb);
    REQUIRE(backup);
    EvidenceRecorder recorder;
    VerifyOptions options;
    options.read_data = true;
    options.evidence = &recorder;
    FindingSink sink;
    REQUIRE(verify_backup(real_file_system(), *backup, options, sink));
    std::size_t stored = 0;
    for (const EvidenceEntry& entry : recorder.take()) {
        stored += entry.sha256_stored.has_value();
        CHECK_FALSE(entry.sha256_plain);
    }
    CHECK(stored > 0);
}

TEST_CASE("verify report: a name that is not UTF-8 comes with its exact bytes", "[evidence]")
{
    EvidenceEntry entry;
    entry.file_id = "0123456789abcdef0123456789abcdef01234567";
    entry.domain = "HomeDomain";
    entry.path = "Library/a\xff\x1b";
    entry.kind = "file";
    entry.level = "present";
    std::string line = render_evidence_line(entry);
    CHECK(line.find(R"("path_hex":"4c6962726172792f61ff1b")") != std::string::npos);
    CHECK(line.find("domain_hex") == std::string::npos);
    CHECK(line.find('\x1b') == std::string::npos);  // escaped, never raw
    CHECK(line.back() == '\n');
    CHECK(std::count(line.begin(), line.end(), '\n') == 1);
}

TEST_CASE("verify report: JSON Lines, entries then a trailer, no password", "[evidence]")
{
    test::TempDir temp;
    testgen::BackupSpec spec;
    spec.file_count = 5;
    auto dir = testgen::write_backup(spec, temp.path() / "backups");
    REQUIRE(dir);
    auto run = verify_with_evidence(*dir, spec.password, true);
    VerifyReportRun report_run{"9.9",
                               {"bkcheck", "verify", "--password", "s3cret", "--report", "r.jsonl",
                                "--password=other", dir->string()},
                               1700000000,
                               1700000060};
    fs::path file = temp.path() / "report.jsonl";
    REQUIRE(write_verify_report(real_writable_file_system(), file, real_file_system(), run->backup,
                                run->entries, run->result, run->sink, report_run, false));
    std::ifstream in(file);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    in.close();  // Windows replaces no file that is open (the second run below replaces it)
    REQUIRE(lines.size() == run->entries.size() + 1);
    CHECK(lines.front().rfind(R"({"type":"entry","file_id":")", 0) == 0);
    const std::string& trailer = lines.back();
    CHECK(trailer.rfind(R"({"type":"trailer","report_version":1,"bkcheck_version":"9.9")", 0) == 0);
    CHECK(trailer.find("s3cret") == std::string::npos);
    CHECK(trailer.find("other") == std::string::npos);
    CHECK(trailer.find(R"x("--password","(hidden)")x") != std::string::npos);
    CHECK(trailer.find(R"("started":"2023-11-14T22:13:20Z","ended":"2023-11-14T22:14:20Z")") !=
          std::string::npos);
    CHECK(trailer.find(R"("verdict":"ok")") != std::string::npos);
    std::string manifest_db = to_hex(sha256(read_bytes(*dir / "Manifest.db")));
    CHECK(trailer.find(R"("Manifest.db":")" + manifest_db + "\"") != std::string::npos);
    CHECK(trailer.find(R"("Manifest.mbdb":null)") != std::string::npos);
    // A second run replaces its own report; a file that is not one is refused.
    REQUIRE(write_verify_report(real_writable_file_system(), file, real_file_system(), run->backup,
                                run->entries, run->result, run->sink, report_run, false));
    test::write_text(temp.path() / "notes.txt", "mine\n");
    CHECK_FALSE(write_verify_report(real_writable_file_system(), temp.path() / "notes.txt",
                                    real_file_system(), run->backup, run->entries, run->result,
                                    run->sink, report_run, false));
    CHECK_FALSE(write_verify_report(real_writable_file_system(), *dir / "report.jsonl",
                                    real_file_system(), run->backup, run->entries, run->result,
                                    run->sink, report_run, true));
}
