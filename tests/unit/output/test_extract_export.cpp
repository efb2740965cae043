// extract and export on generated backups of both eras, encrypted or not: the bytes written equal
// the generator's plaintext, an export verifies clean; --overwrite; Ctrl-C leaves no half file; the
// real iOS 9.3.6 encrypted backup's numbers.
#include "bkcheck/backup_index.h"
#include "bkcheck/export_backup.h"
#include "bkcheck/extract.h"
#include "bkcheck/unlock.h"
#include "bkcheck/usage.h"
#include "bkcheck/verifier.h"
#include "bytes.h"
#include "crypto.h"
#include "mbdb.h"
#include "output_path.h"

#include "make_backup/backup_writer.h"
#include "make_backup/content.h"
#include "support/file_contents.h"
#include "support/index_variants.h"
#include "support/temp_dir.h"
#include "support/tree_snapshot.h"

#include <sqlite3.h>
#ifndef _WIN32
#include <sys/stat.h>
#endif
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <iterator>

using namespace bkcheck;
namespace fs = std::filesystem;

namespace {

using test::read_bytes;

struct Opened {
    Backup backup;
    std::optional<UnlockedKeys> keys;
    ManifestIndex index;
    const ClassKeys* class_keys() const { return keys ? keys->class_keys.get() : nullptr; }
};

Opened open_with_password(const fs::path& dir, const std::string& password)
{
    auto backup = open_backup(real_file_system(), dir);
    REQUIRE(backup);
    Opened opened{*backup, std::nullopt, {}};
    if (backup->encrypted) {
        auto keys = unlock_with_password(*backup, password);
        REQUIRE(keys);
        opened.keys = std::move(*keys);
    }
    FindingSink sink;
    auto index = load_backup_index(real_file_system(), opened.backup, opened.class_keys(), sink);
    REQUIRE(index);
    opened.index = std::move(*index);
    return opened;
}

testgen::BackupSpec spec_for(IndexFormat format, bool encrypted)
{
    testgen::BackupSpec spec;
    spec.format = format;
    spec.encrypted = encrypted;
    spec.file_count = 30;
    spec.max_blob_bytes = 3 << 20;  // several 1 MB chunks per file for some
    spec.seed = 7;
    return spec;
}

// Cancels the run once the first chunk has gone through: mid-file for a file of several chunks.
class CancelAfterFirstChunk : public Progress {
public:
    explicit CancelAfterFirstChunk(std::atomic<bool>& cancel) : m_cancel(cancel) {}
    void start(std::string_view, std::uint64_t) override {}
    void advance(std::uint64_t) override { m_cancel = true; }
    void finish() override {}

private:
    std::atomic<bool>& m_cancel;
};

std::size_t count_partials(const fs::path& root)
{
    std::size_t count = 0;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (entry.path().filename().string().rfind(std::string(k_partial_prefix), 0) == 0) ++count;
    }
    return count;
}

std::uint64_t links_outside(const ManifestIndex& index)
{
    std::uint64_t count = 0;
    for (const FileRecord& record : index.records) {
        if (record.kind != FileKind::Symlink) continue;
        if (!symlink_target_stays_inside(output_components(record.domain, record.relative_path),
                                         record.target))
            ++count;
    }
    return count;
}

Bytes as_bytes_vector(std::string_view text)
{
    return Bytes(text.begin(), text.end());
}

}  // namespace

TEST_CASE("extract and export round-trip every generated variant", "[extract][export]")
{
    test::for_each_variant([](IndexFormat format, bool encrypted) {
        test::TempDir temp;
        testgen::BackupSpec spec = spec_for(format, encrypted);
        auto dir = testgen::write_backup(spec, temp.path() / "backups");
        REQUIRE(dir);
        Opened opened = open_with_password(*dir, spec.password);

        FindingSink sink;
        ExtractOptions options;
        options.keys = opened.class_keys();
        fs::path out = temp.path() / "out";
        auto summary =
            extract_backup(real_file_system(), opened.backup, opened.index, out, options, sink);
        REQUIRE(summary);
        // Real iOS symlinks are absolute ("/private/var/..."): never written, each reported.
        std::uint64_t outside = links_outside(opened.index);
        CHECK(summary->skipped == outside);
        CHECK(sink.count("extract.symlink_outside") == outside);
        CHECK(sink.count(Severity::Error) == 0);
        std::uint64_t files = 0;
        for (const FileRecord& record : opened.index.records) {
            fs::path written = out / record.domain / record.relative_path;
            if (record.kind == FileKind::File) {
                ++files;
                CHECK(read_bytes(written) == testgen::make_content(record, spec.seed));
#ifdef _WIN32
                // Windows keeps no POSIX mode bits: only the time is restored.
                auto written_at = std::chrono::file_clock::to_sys(fs::last_write_time(written));
                CHECK(
                    std::chrono::duration_cast<std::chrono::seconds>(written_at.time_since_epoch())
                        .count() == record.modified);
#else
                struct stat info {};
                REQUIRE(::stat(written.c_str(), &info) == 0);
                CHECK((info.st_mode & 07777) == (record.mode & 0777));
                CHECK(info.st_mtime == record.modified);
#endif
            } else if (record.kind == FileKind::Symlink) {
                if (record.target.front() == '/') CHECK_FALSE(fs::is_symlink(written));
            } else if (record.kind == FileKind::Directory) {
                CHECK(fs::is_directory(written));
            }
        }
        CHECK(summary->files == files);
        CHECK(files > 0);

        FindingSink export_sink;
        ExportOptions export_options;
        export_options.keys = opened.class_keys();
        fs::path exported_root = temp.path() / "exported";
        auto exported = export_backup(real_file_system(), opened.backup, opened.index,
                                      exported_root, export_options, export_sink);
        REQUIRE(exported);
        CHECK(exported->skipped == 0);
        CHECK(exported->files == files);
        Opened copy = open_with_password(exported->folder, "");
        CHECK_FALSE(copy.backup.encrypted);
        CHECK(copy.backup.manifest.value.keybag.empty());
        CHECK(copy.backup.manifest.value.manifest_key.empty());
        CHECK(copy.index.records.size() == opened.index.records.size());
        for (const FileRecord& record : copy.index.records) {
            CHECK(record.encryption_key.empty());
            if (record.kind != FileKind::File) continue;
            fs::path blob = exported->folder / blob_relative_path(format, record.file_id).value();
            CHECK(read_bytes(blob) == testgen::make_content(record, spec.seed));
        }
        FindingSink verify_sink(1000);
        VerifyOptions verify;
        verify.read_data = true;
        auto verdict = verify_backup(real_file_system(), copy.backup, verify, verify_sink);
        REQUIRE(verdict);
        for (const Finding& finding : verify_sink.kept())
            INFO(finding.code << " " << finding.message);
        CHECK(verdict->verdict == Verdict::Ok);
        CHECK(verify_sink.count(Severity::Error) == 0);
        CHECK(verify_sink.count(Severity::Warning) == 0);

        // A second export into the same place is refused, not merged.
        FindingSink again_sink;
        auto again = export_backup(real_file_system(), opened.backup, opened.index, exported_root,
                                   export_options, again_sink);
        CHECK_FALSE(again);
    });
}

TEST_CASE("extract keeps existing files unless --overwrite", "[extract]")
{
    test::TempDir temp;
    testgen::BackupSpec spec = spec_for(IndexFormat::ManifestDb, false);
    auto dir = testgen::write_backup(spec, temp.path() / "backups");
    REQUIRE(dir);
    Opened opened = open_with_password(*dir, "");
    const FileRecord* first = nullptr;
    for (const FileRecord& record : opened.index.records) {
        if (record.kind == FileKind::File) {
            first = &record;
            break;
        }
    }
    REQUIRE(first != nullptr);
    fs::path out = temp.path() / "out";
    ExtractOptions options;
    options.filter.file_id = first->file_id;
    FindingSink sink;
    REQUIRE(extract_backup(real_file_system(), opened.backup, opened.index, out, options, sink));
    fs::path written = out / first->domain / first->relative_path;
    fs::permissions(written, fs::perms::owner_write, fs::perm_options::add);
    test::write_text(written, "changed by the user");

    FindingSink kept_sink;
    auto kept =
        extract_backup(real_file_system(), opened.backup, opened.index, out, options, kept_sink);
    REQUIRE(kept);
    CHECK(kept->skipped == 1);
    CHECK(kept_sink.count("extract.exists") == 1);
    CHECK(read_bytes(written) == as_bytes_vector("changed by the user"));

    options.overwrite = true;
    FindingSink replaced_sink;
    auto replaced = extract_backup(real_file_system(), opened.backup, opened.index, out, options,
                                   replaced_sink);
    REQUIRE(replaced);
    CHECK(replaced->skipped == 0);
    CHECK(read_bytes(written) == testgen::make_content(*first, spec.seed));
    CHECK(count_partials(out) == 0);
}

TEST_CASE("an interrupted extract leaves no partial file under a real name", "[extract]")
{
    test::TempDir temp;
    testgen::BackupSpec spec = spec_for(IndexFormat::ManifestMbdb, true);
    auto dir = testgen::write_backup(spec, temp.path() / "backups");
    REQUIRE(dir);
    Opened opened = open_with_password(*dir, spec.password);
    const FileRecord* big = nullptr;
    for (const FileRecord& record : opened.index.records) {
        if (record.kind == FileKind::File && record.size > 0) big = &record;
    }
    REQUIRE(big != nullptr);
    std::atomic<bool> cancel{false};
    CancelAfterFirstChunk progress(cancel);
    ExtractOptions options;
    options.keys = opened.class_keys();
    options.cancel = &cancel;
    options.filter.file_id = big->file_id;
    options.progress = &progress;
    fs::path out = temp.path() / "out";
    FindingSink sink;
    auto summary =
        extract_backup(real_file_system(), opened.backup, opened.index, out, options, sink);
    REQUIRE_FALSE(summary);
    CHECK(summary.error().code == ErrorCode::Interrupted);
    CHECK_FALSE(fs::exists(out / big->domain / big->relative_path));
    CHECK(count_partials(out) == 0);
}

TEST_CASE("an interrupted export leaves no finished-looking backup and no partial file", "[export]")
{
    test::TempDir temp;
    testgen::BackupSpec spec = spec_for(IndexFormat::ManifestDb, true);
    auto dir = testgen::write_backup(spec, temp.path() / "backups");
    REQUIRE(dir);
    Opened opened = open_with_password(*dir, spec.password);
    std::atomic<bool> cancel{false};
    CancelAfterFirstChunk progress(cancel);
    ExportOptions options;
    options.keys = opened.class_keys();
    options.cancel = &cancel;
    options.progress = &progress;
    fs::path out = temp.path() / "exported";
    FindingSink sink;
    auto exported =
        export_backup(real_file_system(), opened.backup, opened.index, out, options, sink);
    REQUIRE_FALSE(exported);
    CHECK(exported.error().code == ErrorCode::Interrupted);
    fs::path folder = out / opened.backup.folder_name;
    REQUIRE(fs::is_directory(folder));
    CHECK_FALSE(fs::exists(folder / "Status.plist"));
    CHECK_FALSE(fs::exists(folder / "Manifest.db"));
    CHECK(count_partials(out) == 0);
}

TEST_CASE("a damaged file is skipped, or written with keep_damaged", "[extract]")
{
    test::TempDir temp;
    testgen::BackupSpec spec = spec_for(IndexFormat::ManifestMbdb, false);
    spec.damages = {testgen::Damage::BlobDigestMismatch};
    auto dir = testgen::write_backup(spec, temp.path() / "backups");
    REQUIRE(dir);
    Opened opened = open_with_password(*dir, "");
    std::uint64_t outside = links_outside(opened.index);
    FindingSink sink;
    auto skipped = extract_backup(real_file_system(), opened.backup, opened.index,
                                  temp.path() / "out", {}, sink);
    REQUIRE(skipped);
    CHECK(sink.count("blob.digest_mismatch") == 1);
    CHECK(skipped->skipped == outside + 1);
    Finding damaged;
    for (const Finding& finding : sink.kept()) {
        if (finding.code == "blob.digest_mismatch") damaged = finding;
    }
    CHECK_FALSE(fs::exists(temp.path() / "out" / damaged.domain / damaged.path));
    CHECK(count_partials(temp.path() / "out") == 0);

    ExtractOptions keep;
    keep.keep_damaged = true;
    FindingSink keep_sink;
    auto kept = extract_backup(real_file_system(), opened.backup, opened.index, temp.path() / "out",
                               keep, keep_sink);
    REQUIRE(kept);
    CHECK(kept->damaged_written == 1);
    CHECK(keep_sink.count("extract.damaged_written") == 1);
    CHECK(fs::exists(temp.path() / "out" / damaged.domain / damaged.path));
}

TEST_CASE("usage sums plaintext sizes per domain and per app, largest first", "[usage]")
{
    test::TempDir temp;
    testgen::BackupSpec spec = spec_for(IndexFormat::ManifestDb, false);
    spec.write_blobs = false;
    auto dir = testgen::write_backup(spec, temp.path() / "backups");
    REQUIRE(dir);
    Opened opened = open_with_password(*dir, "");
    SpaceUsage usage = space_usage(opened.index);
    std::uint64_t total = 0;
    for (const FileRecord& record : opened.index.records)
        total += record.kind == FileKind::File ? record.size : 0;
    CHECK(usage.total_bytes == total);
    REQUIRE_FALSE(usage.domains.empty());
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < usage.domains.size(); ++i) {
        sum += usage.domains[i].bytes;
        if (i > 0) CHECK(usage.domains[i - 1].bytes >= usage.domains[i].bytes);
    }
    CHECK(sum == total);
    CHECK(app_of_domain("AppDomainGroup-group.com.example") == "group.com.example");
    CHECK(app_of_domain("AppDomainPlugin-com.example.share") == "com.example.share");
    CHECK(app_of_domain("AppDomain-com.example") == "com.example");
    CHECK(app_of_domain("HomeDomain").empty());
}

TEST_CASE("usage sums stop at the largest size instead of wrapping round", "[usage]")
{
    // A hostile index can claim 2^64 - 1 bytes for a file; a wrapped sum would rank that domain
    // last.
    auto file = [](std::string domain, std::uint64_t size) {
        FileRecord record;
        record.domain = std::move(domain);
        record.kind = FileKind::File;
        record.size = size;
        return record;
    };
    SpaceUsageTally tally;
    tally.add(file("AppDomain-com.example.huge", UINT64_MAX));
    tally.add(file("AppDomain-com.example.huge", 10));
    tally.add(file("HomeDomain", 5));
    SpaceUsage usage = tally.result();
    CHECK(usage.total_bytes == UINT64_MAX);
    REQUIRE(usage.domains.size() == 2);
    CHECK(usage.domains[0].name == "AppDomain-com.example.huge");
    CHECK(usage.domains[0].bytes == UINT64_MAX);
    CHECK(usage.domains[0].files == 2);
    CHECK(usage.apps.at(0).bytes == UINT64_MAX);
    CHECK(usage.total_files == 3);
}

TEST_CASE(
    "for_each_backup_record streams what load_backup_index gathers, and usage sums the stream "
    "alike",
    "[usage]")
{
    test::for_each_variant([](IndexFormat format, bool encrypted) {
        test::TempDir temp;
        testgen::BackupSpec spec = spec_for(format, encrypted);
        spec.write_blobs = false;
        // A row whose MBFile archive is garbage (Manifest.db only): it must reach `unreadable`.
        if (format == IndexFormat::ManifestDb) spec.damages = {testgen::Damage::RecordUnreadable};
        auto dir = testgen::write_backup(spec, temp.path() / "backups");
        REQUIRE(dir);
        Opened opened = open_with_password(*dir, spec.password);
        REQUIRE(opened.index.unreadable.size() == (format == IndexFormat::ManifestDb ? 1u : 0u));

        std::vector<std::string> streamed_ids;
        std::vector<std::string> streamed_unreadable;
        SpaceUsageTally tally;
        RecordVisitor visitor;
        visitor.record = [&](FileRecord&& record) {
            streamed_ids.push_back(record.file_id);
            tally.add(record);
        };
        visitor.unreadable = [&](const UnreadableRecord& bad) {
            streamed_unreadable.push_back(bad.file_id);
        };
        FindingSink sink;
        REQUIRE(for_each_backup_record(real_file_system(), opened.backup, opened.class_keys(), sink,
                                       visitor));

        std::vector<std::string> gathered_ids;
        for (const FileRecord& record : opened.index.records)
            gathered_ids.push_back(record.file_id);
        std::vector<std::string> gathered_unreadable;
        for (const UnreadableRecord& bad : opened.index.unreadable)
            gathered_unreadable.push_back(bad.file_id);
        CHECK(streamed_ids == gathered_ids);
        CHECK(streamed_unreadable == gathered_unreadable);

        SpaceUsage from_stream = tally.result();
        SpaceUsage from_index = space_usage(opened.index);
        CHECK(from_stream.total_bytes == from_index.total_bytes);
        CHECK(from_stream.total_files == from_index.total_files);
        REQUIRE(from_stream.domains.size() == from_index.domains.size());
        for (std::size_t i = 0; i < from_stream.domains.size(); ++i) {
            CHECK(from_stream.domains[i].name == from_index.domains[i].name);
            CHECK(from_stream.domains[i].bytes == from_index.domains[i].bytes);
        }
        CHECK(from_stream.apps.size() == from_index.apps.size());
    });
}

TEST_CASE(
    "for_each_backup_record fails as load_backup_index does: no index, or encrypted without keys",
    "[usage]")
{
    test::TempDir temp;
    testgen::BackupSpec missing = spec_for(IndexFormat::ManifestDb, false);
    missing.write_blobs = false;
    missing.damages = {testgen::Damage::ManifestMissing};
    auto missing_dir = testgen::write_backup(missing, temp.path() / "a");
    testgen::BackupSpec locked = spec_for(IndexFormat::ManifestDb, true);
    locked.write_blobs = false;
    auto locked_dir = testgen::write_backup(locked, temp.path() / "b");
    REQUIRE(missing_dir);
    REQUIRE(locked_dir);
    for (const fs::path& dir : {*missing_dir, *locked_dir}) {
        auto backup = open_backup(real_file_system(), dir);
        REQUIRE(backup);
        std::size_t records = 0;
        RecordVisitor visitor;
        visitor.record = [&](FileRecord&&) { ++records; };
        FindingSink stream_sink, load_sink;
        Status streamed =
            for_each_backup_record(real_file_system(), *backup, nullptr, stream_sink, visitor);
        auto loaded = load_backup_index(real_file_system(), *backup, nullptr, load_sink);
        REQUIRE_FALSE(streamed);
        REQUIRE_FALSE(loaded);
        CHECK(streamed.error().code == loaded.error().code);
        CHECK(streamed.error().describe() == loaded.error().describe());
        CHECK(records == 0);
    }
}

TEST_CASE("the real iOS 9.3.6 encrypted backup extracts 320 files and exports clean",
          "[extract][real]")
{
    fs::path fixtures = test::real_fixtures();
    if (fixtures.empty()) {
        WARN("skipped: ../shared/fixtures/real is not present");
        return;
    }
    fs::path dir =
        fixtures / "hackvent2020-ios9-encrypted" / "65195ba5-2dac-49a4-9606-c9d8733bebcf";
    Opened opened = open_with_password(dir, "20201225");
    test::TempDir temp;
    FindingSink sink(1000);
    ExtractOptions options;
    options.keys = opened.class_keys();
    fs::path out = temp.path() / "out";
    auto summary =
        extract_backup(real_file_system(), opened.backup, opened.index, out, options, sink);
    REQUIRE(summary);
    CHECK(summary->files == 320);
    CHECK(summary->skipped == 1 + links_outside(opened.index));
    CHECK(sink.count("blob.missing") == 1);
    CHECK(summary->stale_sizes == 7);
    CHECK(sink.count("blob.size_changed") == 7);
    std::size_t databases = 0;
    for (const Finding& finding : sink.kept()) {
        if (finding.code != "blob.size_changed") continue;
        fs::path written = out / finding.domain / finding.path;
        sqlite3* db = nullptr;
        std::string uri = "file:" + written.string() + "?immutable=1";
        REQUIRE(sqlite3_open_v2(uri.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
                                nullptr) == SQLITE_OK);
        sqlite3_stmt* statement = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &statement, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
        CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0))) ==
              "ok");
        sqlite3_finalize(statement);
        sqlite3_close(db);
        ++databases;
    }
    CHECK(databases == 7);

    FindingSink export_sink(1000);
    ExportOptions export_options;
    export_options.keys = opened.class_keys();
    auto exported = export_backup(real_file_system(), opened.backup, opened.index,
                                  temp.path() / "exported", export_options, export_sink);
    REQUIRE(exported);
    CHECK(exported->files == 320);
    CHECK(exported->skipped == 1);
    CHECK(exported->sizes_fixed == 7);
    Opened copy = open_with_password(exported->folder, "");
    FindingSink verify_sink(1000);
    VerifyOptions verify;
    verify.read_data = true;
    auto verdict = verify_backup(real_file_system(), copy.backup, verify, verify_sink);
    REQUIRE(verdict);
    for (const Finding& finding : verify_sink.kept()) INFO(finding.code << " " << finding.message);
    CHECK(verify_sink.count(Severity::Error) == 0);
    CHECK(verdict->verdict == Verdict::Ok);
}

// Not run by default (hidden tag): extracts one 400 MB file, for measuring peak memory by hand:
//   /usr/bin/time -v build/tests/bkcheck_tests "[memory]"   (Maximum resident set size)
TEST_CASE("extract streams a 400 MB file through a fixed buffer", "[.][memory]")
{
    test::TempDir temp;
    testgen::BackupSpec spec = spec_for(IndexFormat::ManifestMbdb, false);
    spec.file_count = 5;
    auto dir = testgen::write_backup(spec, temp.path() / "backups");
    REQUIRE(dir);
    Opened opened = open_with_password(*dir, "");
    FileRecord big = opened.index.records.front();
    big.domain = "CameraRollDomain";
    big.relative_path = "Media/DCIM/100APPLE/IMG_9999.MOV";
    big.kind = FileKind::File;
    big.mode = k_mode_file | 0644;
    big.size = 400ull << 20;
    big.digest.clear();
    big.file_id = to_hex(sha1(as_bytes(big.domain + "-" + big.relative_path)));
    {
        std::ofstream blob(*dir / big.file_id, std::ios::binary);
        std::string chunk(1 << 20, 'v');
        for (std::uint64_t written = 0; written < big.size; written += chunk.size()) blob << chunk;
    }
    std::vector<FileRecord> records = opened.index.records;
    records.push_back(big);
    Bytes mbdb = serialize_mbdb(records);
    std::ofstream(*dir / "Manifest.mbdb", std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(mbdb.data()),
               static_cast<std::streamsize>(mbdb.size()));
    Opened reopened = open_with_password(*dir, "");
    ExtractOptions options;
    options.filter.file_id = big.file_id;
    FindingSink sink;
    auto summary = extract_backup(real_file_system(), reopened.backup, reopened.index,
                                  temp.path() / "out", options, sink);
    REQUIRE(summary);
    CHECK(summary->files == 1);
    CHECK(summary->bytes == big.size);
    CHECK(fs::file_size(temp.path() / "out" / big.domain / big.relative_path) == big.size);
}
