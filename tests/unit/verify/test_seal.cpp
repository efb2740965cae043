// The seal: its file format refuses anything edited or hostile, verify --read-data records every
// blob and index file, and the check names each byte changed, file removed or added since —
// including in blobs whose record has no Digest, which verify itself cannot check.
#include "bkcheck/seal.h"
#include "bkcheck/unlock.h"
#include "bkcheck/verifier.h"
#include "bytes.h"
#include "crypto.h"
#include "manifest_db.h"
#include "mbdb.h"

#include "make_backup/backup_writer.h"
#include "support/denying_file_system.h"
#include "support/file_contents.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

using namespace bkcheck;
namespace fs = std::filesystem;

namespace {

Xxh128 xxh128_of(std::string_view text)
{
    Xxh128Hasher hasher;
    hasher.update(ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
    return hasher.finish();
}

Seal sample_seal()
{
    SealRecorder recorder;
    recorder.add("Manifest.db", 3, xxh128_of("abc"));
    recorder.add("3d/3d0d7e5fb2ce288813306e4d4636395e047a3d28", 0, xxh128_of(""));
    return recorder.take("00008030-37AD2D0D6C0157A9", 1795400000);
}

void flip_first_byte(const fs::path& file)
{
    std::fstream stream(file, std::ios::in | std::ios::out | std::ios::binary);
    char byte = 0;
    stream.read(&byte, 1);
    stream.seekp(0);
    byte = static_cast<char>(byte ^ 0x01);
    stream.write(&byte, 1);
}

struct Sealed {
    Result<Backup> backup = make_error(ErrorCode::Internal, "", "not opened");
    Seal seal;
    FindingSink sink{1000};
};

// verify --read-data --seal, as the CLI runs it; the password unlocks encrypted backups.
std::unique_ptr<Sealed> verify_and_seal(const fs::path& dir, const std::string& password = {})
{
    auto sealed = std::make_unique<Sealed>();
    sealed->backup = open_backup(real_file_system(), dir);
    REQUIRE(sealed->backup);
    SealRecorder recorder;
    VerifyOptions options;
    options.read_data = true;
    options.seal = &recorder;
    std::optional<Result<UnlockedKeys>> unlocked;
    if (!password.empty()) {
        options.unlock = [&]() -> Result<const ClassKeys*> {
            unlocked.emplace(unlock_with_password(*sealed->backup, password));
            if (!*unlocked) return unlocked->error();
            return (*unlocked)->class_keys.get();
        };
    }
    auto result = verify_backup(real_file_system(), *sealed->backup, options, sealed->sink);
    REQUIRE(result);
    CHECK(seal_refusal(options, *result, sealed->sink).empty());
    sealed->seal = recorder.take(sealed->backup->folder_name, 1795400000);
    return sealed;
}

Result<SealCheckResult> check(const Backup& backup, const Seal& seal, FindingSink& sink)
{
    return check_against_seal(real_file_system(), backup, seal, SealCheckOptions{}, sink);
}

bool has_finding(const FindingSink& sink, std::string_view code, std::string_view path)
{
    for (const Finding& finding : sink.kept()) {
        if (finding.code == code && finding.path == path) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("XXH3-128 matches the reference values", "[seal]")
{
    // From xxhash's own test vectors (XXH3_128bits of the empty input, canonical big-endian form).
    CHECK(to_hex(ByteView(xxh128_of("").data(), 16)) == "99aa06d3014798d86001c324468d497f");
    Xxh128Hasher hasher;
    hasher.update(ByteView(reinterpret_cast<const std::uint8_t*>("ab"), 2));
    hasher.update(ByteView(reinterpret_cast<const std::uint8_t*>("c"), 1));
    CHECK(hasher.finish() == xxh128_of("abc"));
    CHECK(hasher.finish() == xxh128_of(""));  // finish() starts over
}

TEST_CASE("a seal file round-trips and refuses edits, truncation and hostile paths", "[seal]")
{
    Seal seal = sample_seal();
    std::string text = serialize_seal(seal);
    auto parsed = parse_seal(text, "x.bkcheck-seal");
    REQUIRE(parsed);
    CHECK(parsed->backup_name == seal.backup_name);
    CHECK(parsed->sealed_at == seal.sealed_at);
    REQUIRE(parsed->entries.size() == 2);
    CHECK(parsed->entries[0].path == "3d/3d0d7e5fb2ce288813306e4d4636395e047a3d28");  // sorted
    CHECK(parsed->entries[1].size == 3);
    Xxh128 abc = xxh128_of("abc");
    CHECK(parsed->entries[1].hash == Bytes(abc.begin(), abc.end()));

    std::string edited = text;
    edited[edited.find("Manifest.db") - 3] = '7';  // the size 3 becomes 7
    auto refused = parse_seal(edited, "x.bkcheck-seal");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::Corrupt);
    CHECK(refused.error().message.find("edited or damaged") != std::string::npos);
    CHECK_FALSE(parse_seal(text.substr(0, text.size() - 10), "x"));
    CHECK_FALSE(parse_seal("", "x"));

    // A hostile seal with a valid checksum still cannot send the check outside the backup folder.
    for (const char* path : {"../../etc/passwd", "/etc/passwd", "a//b", "./x"}) {
        Seal hostile = seal;
        hostile.entries = {SealEntry{path, 1, Bytes(16, 0x11)}};
        auto result = parse_seal(serialize_seal(hostile), "hostile");
        REQUIRE_FALSE(result);
        CHECK(result.error().code == ErrorCode::Corrupt);
    }
}

TEST_CASE("a seal goes beside the backup folder, never inside, and replaces only an earlier seal",
          "[seal]")
{
    CHECK(default_seal_path("/b/Backup/UDID") == fs::path("/b/Backup/UDID.bkcheck-seal"));
    CHECK(default_seal_path("/b/Backup/UDID/") == fs::path("/b/Backup/UDID.bkcheck-seal"));

    test::TempDir temp;
    fs::path backup = temp.path() / "Backup" / "UDID";
    test::write_text(backup / "Info.plist", "x");
    Seal seal = sample_seal();
    WritableFileSystem& writer = real_writable_file_system();
    fs::path beside = default_seal_path(backup);
    REQUIRE(write_seal(writer, beside, seal, false));
    REQUIRE(write_seal(writer, beside, seal, false));  // an earlier seal is replaced
    CHECK(read_seal(real_file_system(), beside));

    for (const fs::path& inside : {backup / "x.seal", backup / ".." / "UDID" / "sub" / "x"}) {
        auto refused = check_output_file(inside, seal_file_options(true));
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ErrorCode::InvalidArgument);
        CHECK(refused.error().message.find("inside the backup folder") != std::string::npos);
        CHECK_FALSE(write_seal(writer, inside, seal, true));
    }
    CHECK_FALSE(fs::exists(backup / "x.seal"));

    fs::path unrelated = temp.path() / "Backup" / "notes";
    test::write_text(unrelated, "bkcheck-seal 10 is not a seal\n");
    CHECK_FALSE(write_seal(writer, unrelated, seal, false));
    {  // closed before the replace below: Windows replaces no file that is open
        std::ifstream in(unrelated);
        CHECK(std::string(std::istreambuf_iterator<char>(in), {}) ==
              "bkcheck-seal 10 is not a seal\n");
    }
    CHECK(write_seal(writer, unrelated, seal, true));

    std::string text = serialize_seal(seal);
    CHECK(looks_like_seal_file(as_bytes(text), text.size()));
    CHECK_FALSE(looks_like_seal_file(as_bytes("bkcheck-seal 1"), 14));
    CHECK_FALSE(looks_like_seal_file(as_bytes("bkcheck-seal 12\n"), 16));
}

TEST_CASE("a seal names every blob and index file, and catches what verify cannot", "[seal]")
{
    IndexFormat format = GENERATE(IndexFormat::ManifestDb, IndexFormat::ManifestMbdb);
    test::TempDir temp;
    testgen::BackupSpec spec;
    spec.format = format;
    spec.file_count = 30;
    auto dir = testgen::write_backup(spec, temp.path());
    REQUIRE(dir);
    auto sealed = verify_and_seal(*dir);
    const Backup& backup = *sealed->backup;

    auto index = format == IndexFormat::ManifestDb
                     ? read_manifest_db(real_file_system(), *dir / "Manifest.db")
                     : [&] {
                           Bytes bytes = test::read_bytes(*dir / "Manifest.mbdb");
                           return parse_mbdb(bytes, "Manifest.mbdb");
                       }();
    REQUIRE(index);
    std::size_t files = 0;
    const FileRecord* undigested = nullptr;
    for (const FileRecord& record : index->records) {
        if (record.kind != FileKind::File) continue;
        ++files;
        if (record.digest.empty() && record.size > 0 && undigested == nullptr) undigested = &record;
    }
    CHECK(sealed->seal.entries.size() ==
          files + 4);  // + Info, Status, Manifest.plist and the index

    FindingSink clean;
    auto unchanged = check(backup, sealed->seal, clean);
    REQUIRE(unchanged);
    CHECK(unchanged->unchanged());
    CHECK(unchanged->files_checked == sealed->seal.entries.size());
    CHECK(clean.kept().empty());

    // One byte of a blob whose record has no Digest: verify --read-data cannot see it, the seal
    // does.
    REQUIRE(undigested != nullptr);
    std::string flipped = blob_relative_path(format, undigested->file_id).value();
    flip_first_byte(*dir / flipped);
    FindingSink after_flip;
    VerifyOptions read_data;
    read_data.read_data = true;
    REQUIRE(verify_backup(real_file_system(), backup, read_data, after_flip));
    CHECK(after_flip.count(Severity::Error) == 0);
    FindingSink seal_findings;
    auto changed = check(backup, sealed->seal, seal_findings);
    REQUIRE(changed);
    CHECK(changed->changed == 1);
    CHECK(has_finding(seal_findings, "seal.changed", flipped));

    // A blob removed and a file added are named too; so is an index file that changed.
    const SealEntry& removed = sealed->seal.entries.front();
    fs::rename(*dir / removed.path, temp.path() / "aside");
    std::ofstream(*dir / "Manifest.plist", std::ios::app) << " ";
    test::write_text(*dir / "Manifest.db-wal", "new");
    FindingSink more;
    auto all = check(backup, sealed->seal, more);
    REQUIRE(all);
    CHECK(all->missing == 1);
    CHECK(all->changed == 2);
    CHECK(all->unsealed == 1);
    CHECK(has_finding(more, "seal.missing", removed.path));
    CHECK(has_finding(more, "seal.changed", "Manifest.plist"));
    CHECK(has_finding(more, "seal.unsealed", "Manifest.db-wal"));
}

TEST_CASE("an encrypted backup is sealed as stored and checked without the password",
          "[seal][encrypted]")
{
    IndexFormat format = GENERATE(IndexFormat::ManifestDb, IndexFormat::ManifestMbdb);
    test::TempDir temp;
    testgen::BackupSpec spec;
    spec.format = format;
    spec.encrypted = true;
    spec.file_count = 12;
    auto dir = testgen::write_backup(spec, temp.path());
    REQUIRE(dir);
    auto sealed = verify_and_seal(*dir, spec.password);
    REQUIRE(sealed->seal.entries.size() > 4);
    const SealEntry& blob = sealed->seal.entries.front();
    REQUIRE(blob.path.size() >= 40);
    flip_first_byte(*dir / blob.path);
    FindingSink sink;
    auto result = check(*sealed->backup, sealed->seal, sink);  // no keys anywhere
    REQUIRE(result);
    CHECK(result->changed == 1);
    CHECK(has_finding(sink, "seal.changed", blob.path));
}

TEST_CASE("verify refuses to seal what it could not vouch for", "[seal]")
{
    test::TempDir temp;
    SECTION("an encrypted backup without its password")
    {
        testgen::BackupSpec spec;
        spec.encrypted = true;
        spec.file_count = 5;
        auto dir = testgen::write_backup(spec, temp.path());
        REQUIRE(dir);
        auto backup = open_backup(real_file_system(), *dir);
        REQUIRE(backup);
        SealRecorder recorder;
        VerifyOptions options;
        options.read_data = true;
        options.seal = &recorder;
        FindingSink sink;
        auto result = verify_backup(real_file_system(), *backup, options, sink);
        REQUIRE(result);
        CHECK(seal_refusal(options, *result, sink).find("encrypted") != std::string::npos);
    }
    SECTION("a damaged backup, or a sampled read")
    {
        testgen::BackupSpec spec;
        spec.file_count = 5;
        spec.damages = {testgen::Damage::BlobMissing};
        auto dir = testgen::write_backup(spec, temp.path());
        REQUIRE(dir);
        auto backup = open_backup(real_file_system(), *dir);
        REQUIRE(backup);
        SealRecorder recorder;
        VerifyOptions options;
        options.read_data = true;
        options.seal = &recorder;
        FindingSink sink;
        auto result = verify_backup(real_file_system(), *backup, options, sink);
        REQUIRE(result);
        // Sealed as it is (issue 25): the damage is recorded in the seal, not a reason to refuse.
        CHECK(result->verdict == Verdict::Damaged);
        CHECK(seal_refusal(options, *result, sink).empty());
        options.read_fraction = 0.5;
        CHECK(seal_refusal(options, *result, sink).find("every blob") != std::string::npos);
    }
}

TEST_CASE("a damaged backup is sealed as it is, its verdict and findings in the seal", "[seal]")
{
    test::TempDir temp;
    testgen::BackupSpec spec;
    spec.file_count = 5;
    spec.damages = {testgen::Damage::BlobMissing};
    auto dir = testgen::write_backup(spec, temp.path());
    REQUIRE(dir);
    auto backup = open_backup(real_file_system(), *dir);
    REQUIRE(backup);
    SealRecorder recorder;
    VerifyOptions options;
    options.read_data = true;
    options.seal = &recorder;
    FindingSink sink;
    auto result = verify_backup(real_file_system(), *backup, options, sink);
    REQUIRE(result);
    REQUIRE(seal_refusal(options, *result, sink).empty());
    Seal seal = recorder.take(backup->folder_name, 1795400000);
    seal.verdict = verdict_name(result->verdict);
    seal.findings = sink.totals();
    std::string text = serialize_seal(seal);
    CHECK(text.rfind("bkcheck-seal 2\n", 0) == 0);
    CHECK(text.find("\nverdict damaged\nfinding blob.missing 1\n") != std::string::npos);
    auto parsed = parse_seal(text, "s");
    REQUIRE(parsed);
    CHECK(parsed->verdict == "damaged");
    CHECK(parsed->findings == seal.findings);
    CHECK(parsed->entries.size() == seal.entries.size());
    CHECK_FALSE(seal.entries.empty());
    // Nothing changed since: unchanged, and the seal still says what was wrong then.
    FindingSink check_sink;
    auto checked =
        check_against_seal(real_file_system(), *backup, *parsed, SealCheckOptions{}, check_sink);
    REQUIRE(checked);
    CHECK(checked->unchanged());
    // A finding line edited into a seal is refused by the closing checksum like any other edit.
    std::string edited = text;
    edited.replace(edited.find("blob.missing 1"), 14, "blob.missing 0");
    CHECK_FALSE(parse_seal(edited, "s"));
}

TEST_CASE("a seal with SHA-256 (--seal-hash sha256): every file's, checked against the same",
          "[seal]")
{
    test::TempDir temp;
    testgen::BackupSpec spec;
    spec.file_count = 5;
    auto dir = testgen::write_backup(spec, temp.path());
    REQUIRE(dir);
    auto backup = open_backup(real_file_system(), *dir);
    REQUIRE(backup);
    SealRecorder recorder(SealHash::Sha256);
    VerifyOptions options;
    options.read_data = true;
    options.seal = &recorder;
    FindingSink sink;
    auto result = verify_backup(real_file_system(), *backup, options, sink);
    REQUIRE(result);
    Seal seal = recorder.take(backup->folder_name, 1795400000);
    seal.verdict = verdict_name(result->verdict);
    REQUIRE(seal.entries.size() > 5);
    for (const SealEntry& entry : seal.entries) {
        Bytes bytes = test::read_bytes(*dir / entry.path);
        Sha256Digest digest = sha256(bytes);
        CHECK(entry.hash == Bytes(digest.begin(), digest.end()));
    }
    std::string text = serialize_seal(seal);
    CHECK(text.find("\nhash sha256\nverdict ok\n") != std::string::npos);
    CHECK(text.substr(text.rfind("\nend ") + 5).size() == 64 + 1);  // 64 hex and the newline
    auto parsed = parse_seal(text, "s");
    REQUIRE(parsed);
    CHECK(parsed->hash == SealHash::Sha256);
    // The hash line must agree with the end line: an xxh3-128 seal cannot pass as sha256.
    std::string relabelled = text;
    relabelled.replace(relabelled.find("hash sha256"), 11, "hash xxh3-128");
    CHECK_FALSE(parse_seal(relabelled, "s"));

    FindingSink unchanged_sink;
    auto unchanged = check_against_seal(real_file_system(), *backup, *parsed, SealCheckOptions{},
                                        unchanged_sink);
    REQUIRE(unchanged);
    CHECK(unchanged->unchanged());
    const std::string blob = seal.entries.front().path;
    flip_first_byte(*dir / blob);
    FindingSink changed_sink;
    auto changed =
        check_against_seal(real_file_system(), *backup, *parsed, SealCheckOptions{}, changed_sink);
    REQUIRE(changed);
    CHECK(changed->changed == 1);
    CHECK(has_finding(changed_sink, "seal.changed", blob));
}

TEST_CASE("a version 1 seal (no verdict) is still read", "[seal]")
{
    // As bkcheck wrote it before seals recorded a verdict: the header, one entry, the checksum.
    std::string body = "bkcheck-seal 1\nbackup b\nsealed 1795400000\n" + to_hex(xxh128_of("abc")) +
                       " 3 Manifest.db\n";
    std::string text = body + "end " + to_hex(xxh128_of(body)) + "\n";
    auto parsed = parse_seal(text, "v1");
    REQUIRE(parsed);
    CHECK(parsed->verdict.empty());
    REQUIRE(parsed->entries.size() == 1);
    CHECK(parsed->entries[0].path == "Manifest.db");
    CHECK(looks_like_seal_file(as_bytes(text), text.size()));
}

TEST_CASE("a cancelled seal check stops with Interrupted", "[seal]")
{
    test::TempDir temp;
    testgen::BackupSpec spec;
    spec.file_count = 5;
    auto dir = testgen::write_backup(spec, temp.path());
    REQUIRE(dir);
    auto sealed = verify_and_seal(*dir);
    std::atomic<bool> cancel{true};
    SealCheckOptions options;
    options.threads = 1;
    options.cancel = &cancel;
    FindingSink sink;
    auto result =
        check_against_seal(real_file_system(), *sealed->backup, sealed->seal, options, sink);
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::Interrupted);
}

TEST_CASE("seal check: a file this user may not read is not compared, never \"changed\"",
          "[seal][access]")
{
    test::TempDir temp;
    testgen::BackupSpec spec;
    spec.file_count = 10;
    auto dir = testgen::write_backup(spec, temp.path());
    REQUIRE(dir);
    auto sealed = verify_and_seal(*dir);
    // A blob folder this user may not list, and so none of its blobs read (mode 000).
    fs::path folder;
    for (const SealEntry& entry : sealed->seal.entries) {
        if (entry.path.find('/') != std::string::npos)
            folder = *dir / fs::path(entry.path).parent_path();
    }
    REQUIRE(!folder.empty());
    test::DenyingFileSystem file_system(folder);
    FindingSink sink(100);
    auto result =
        check_against_seal(file_system, *sealed->backup, sealed->seal, SealCheckOptions{}, sink);
    REQUIRE(result);
    CHECK(result->changed == 0);
    CHECK(result->unsealed == 0);
    CHECK(result->denied > 0);
    CHECK(sink.count("access.denied") == result->denied);
    CHECK(sink.count(Severity::Error) == 0);
    CHECK(result->unchecked());
}
