// StreamedRecords: extract's and export's record source, read from disk on each pass instead of
// gathered. It must hand over exactly what load_backup_index gathers, pass after pass; fall back to
// salvage when the index is damaged from the start; and refuse to pass off a partial read when the
// index is damaged between passes. An export from it is the export from the gathered index.
#include "bkcheck/backup_index.h"
#include "bkcheck/export_backup.h"
#include "bkcheck/extract.h"
#include "bkcheck/unlock.h"
#include "manifest_db_plaintext.h"

#include "make_backup/backup_writer.h"
#include "support/damaged_page.h"
#include "support/index_variants.h"
#include "support/temp_dir.h"
#include "support/tree_snapshot.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <utility>

using namespace bkcheck;
using namespace bkcheck::test;

namespace {

struct Pass {
    std::vector<std::string> records;     // fileIDs, in the order handed over
    std::vector<std::string> unreadable;  // fileIDs of rows that do not decode
};

Pass pass_over(const RecordSource& source)
{
    Pass pass;
    RecordVisitor visitor;
    visitor.record = [&](FileRecord&& record) { pass.records.push_back(record.file_id); };
    visitor.unreadable = [&](const UnreadableRecord& bad) {
        pass.unreadable.push_back(bad.file_id);
    };
    REQUIRE(source.for_each(visitor));
    return pass;
}

// A backup written by the generator, opened, and unlocked when encrypted.
struct Generated {
    fs::path dir;
    Backup backup;
    std::optional<UnlockedKeys> keys;
    const ClassKeys* class_keys() const { return keys ? keys->class_keys.get() : nullptr; }
};

Generated generate(const testgen::BackupSpec& spec, const fs::path& parent)
{
    auto dir = testgen::write_backup(spec, parent);
    REQUIRE(dir);
    auto backup = open_backup(real_file_system(), *dir);
    REQUIRE(backup);
    Generated generated{*dir, *backup, std::nullopt};
    if (backup->encrypted) {
        auto keys = unlock_with_password(*backup, spec.password);
        REQUIRE(keys);
        generated.keys = std::move(*keys);
    }
    return generated;
}

// Counts the passes a verb makes over its records.
struct CountingPasses : RecordSource {
    const RecordSource& inner;
    mutable int passes = 0;
    explicit CountingPasses(const RecordSource& source) : inner(source) {}
    Status for_each(const RecordVisitor& visitor) const override
    {
        ++passes;
        return inner.for_each(visitor);
    }
};

// Remembers the total a verb gave the progress display of its first phase (writing the files;
// the flush to disk that follows has no total).
struct TotalSeen : Progress {
    std::uint64_t total = 0;
    bool started = false;
    void start(std::string_view, std::uint64_t phase_total) override
    {
        if (!std::exchange(started, true)) total = phase_total;
    }
    void advance(std::uint64_t) override {}
    void finish() override {}
};

std::uint64_t file_bytes_of(const RecordSource& records)
{
    std::uint64_t bytes = 0;
    RecordVisitor sizes;
    sizes.record = [&](FileRecord&& record) {
        bytes += record.kind == FileKind::File ? record.size : 0;
    };
    REQUIRE(records.for_each(sizes));
    return bytes;
}

std::size_t count_of_code(const FindingSink& sink, const std::string& code)
{
    auto totals = sink.totals();
    auto found = totals.find(code);
    return found == totals.end() ? 0 : found->second;
}

}  // namespace

TEST_CASE("StreamedRecords hands over what load_backup_index gathers, on every pass", "[extract]")
{
    for_each_variant([](IndexFormat format, bool encrypted) {
        TempDir temp;
        testgen::BackupSpec spec;
        spec.format = format;
        spec.encrypted = encrypted;
        spec.file_count = 60;
        spec.write_blobs = false;
        // A row whose MBFile archive is garbage (Manifest.db only): it must reach `unreadable`.
        if (format == IndexFormat::ManifestDb) spec.damages = {testgen::Damage::RecordUnreadable};
        Generated generated = generate(spec, temp.path());
        const Backup& backup = generated.backup;
        const ClassKeys* class_keys = generated.class_keys();

        FindingSink gathered_sink;
        auto gathered = load_backup_index(real_file_system(), backup, class_keys, gathered_sink);
        REQUIRE(gathered);
        Pass expected = pass_over(IndexRecords(*gathered));
        REQUIRE(expected.records.size() > 60);
        CHECK(expected.unreadable.size() == (format == IndexFormat::ManifestDb ? 1 : 0));

        FindingSink sink;
        auto streamed = StreamedRecords::open(real_file_system(), backup, class_keys, sink);
        REQUIRE(streamed);
        CHECK(sink.count(Severity::Error) == gathered_sink.count(Severity::Error));
        for (int pass = 0; pass < 2; ++pass) {
            Pass got = pass_over(*streamed);
            CHECK(got.records == expected.records);
            CHECK(got.unreadable == expected.unreadable);
        }
    });
}

TEST_CASE(
    "StreamedRecords of a Manifest.db damaged part-way gathers by salvage; damage between passes "
    "is an error",
    "[extract]")
{
    TempDir temp;
    testgen::BackupSpec spec;
    spec.file_count = 800;
    spec.max_blob_bytes = 8;
    spec.write_blobs = false;
    Generated generated = generate(spec, temp.path());
    const Backup& backup = generated.backup;

    FindingSink sound_sink;
    auto opened_sound = StreamedRecords::open(real_file_system(), backup, nullptr, sound_sink);
    REQUIRE(opened_sound);
    std::size_t all_records = pass_over(*opened_sound).records.size();
    CHECK(sound_sink.count(Severity::Error) == 0);

    damage_middle_files_page(generated.dir / "Manifest.db");

    SECTION("damaged before open: every record salvage reads, on every pass")
    {
        FindingSink sink;
        auto streamed = StreamedRecords::open(real_file_system(), backup, nullptr, sink);
        REQUIRE(streamed);
        CHECK(count_of_code(sink, "manifest.unreadable") >= 1);
        CHECK(count_of_code(sink, "manifest.salvaged") == 1);

        FindingSink gathered_sink;
        auto gathered = load_backup_index(real_file_system(), backup, nullptr, gathered_sink);
        REQUIRE(gathered);
        Pass salvaged = pass_over(*streamed);
        CHECK(salvaged.records == pass_over(IndexRecords(*gathered)).records);
        CHECK(salvaged.records.size() < all_records);
        CHECK(salvaged.records.size() >
              all_records / 2);  // one page of many is lost, not half the index
        CHECK(pass_over(*streamed).records == salvaged.records);
    }
    SECTION("damaged after open: the next pass fails instead of handing over part of the index")
    {
        RecordVisitor visitor;
        std::size_t handed = 0;
        visitor.record = [&](FileRecord&&) { ++handed; };
        Status pass = opened_sound->for_each(visitor);
        REQUIRE_FALSE(pass);
        CHECK(pass.error().code == ErrorCode::Corrupt);
        CHECK(pass.error().message.find("changed while it was being read") != std::string::npos);
        CHECK(handed < all_records);
    }
}

TEST_CASE("StreamedRecords salvages an encrypted Manifest.db in memory", "[extract]")
{
    TempDir temp;
    testgen::BackupSpec spec;
    spec.file_count = 800;
    spec.max_blob_bytes = 8;
    spec.write_blobs = false;
    spec.encrypted = true;
    Generated generated = generate(spec, temp.path() / "backups");
    const Backup& backup = generated.backup;
    const ClassKeys* class_keys = generated.class_keys();

    FindingSink sound_sink;
    auto sound = StreamedRecords::open(real_file_system(), backup, class_keys, sound_sink);
    REQUIRE(sound);
    std::size_t all_records = pass_over(*sound).records.size();

    // CBC with a zero IV and no header: plaintext page N is ciphertext page N, so a Files leaf page
    // found in a decrypted copy is damaged in the encrypted file at the same offset.
    auto plaintext = load_manifest_db_plaintext(real_file_system(), backup, class_keys);
    REQUIRE(plaintext);
    fs::path copy = temp.path() / "plaintext-copy.db";
    {
        std::ofstream out(copy, std::ios::binary);
        out.write(reinterpret_cast<const char*>(plaintext->image.data()),
                  static_cast<std::streamsize>(plaintext->image.size()));
    }
    overwrite_page(generated.dir / "Manifest.db", middle_files_leaf_page(copy));

    FindingSink sink;
    auto salvaged = StreamedRecords::open(real_file_system(), backup, class_keys, sink);
    REQUIRE(salvaged);
    CHECK(count_of_code(sink, "manifest.unreadable") >= 1);
    CHECK(count_of_code(sink, "manifest.salvaged") == 1);
    std::size_t kept = pass_over(*salvaged).records.size();
    CHECK(kept < all_records);
    CHECK(kept > all_records * 3 / 4);
}

TEST_CASE(
    "extract of a Manifest.mbdb with damage after its records writes every record it can read",
    "[extract]")
{
    // The mbdb parser reads up to the damage and says so (manifest.unreadable); each pass must see
    // the same records, not take the repeated finding for an index that changed mid-run.
    TempDir temp;
    testgen::BackupSpec spec;
    spec.format = IndexFormat::ManifestMbdb;
    spec.file_count = 30;
    spec.max_blob_bytes = 64;
    spec.damages = {testgen::Damage::ManifestUnreadable};
    Generated generated = generate(spec, temp.path() / "backups");
    const Backup& backup = generated.backup;
    const ClassKeys* class_keys = generated.class_keys();

    FindingSink sink;
    auto records = StreamedRecords::open(real_file_system(), backup, class_keys, sink);
    REQUIRE(records);
    CHECK(count_of_code(sink, "manifest.unreadable") == 1);
    ExtractOptions options;
    options.keys = class_keys;
    auto summary =
        extract_backup(real_file_system(), backup, *records, temp.path() / "out", options, sink);
    REQUIRE(summary);
    CHECK(summary->files >= 30);
}

TEST_CASE("extract stops reading the index at Ctrl-C (between files too)", "[extract]")
{
    TempDir temp;
    testgen::BackupSpec spec;
    spec.file_count = 200;
    spec.max_blob_bytes = 8;
    Generated generated = generate(spec, temp.path() / "backups");
    const Backup& backup = generated.backup;
    FindingSink sink;
    auto records = StreamedRecords::open(real_file_system(), backup, nullptr, sink);
    REQUIRE(records);

    std::atomic<bool> cancel{true};  // pressed before the first record
    ExtractOptions options;
    options.cancel = &cancel;
    auto summary =
        extract_backup(real_file_system(), backup, *records, temp.path() / "out", options, sink);
    REQUIRE_FALSE(summary);
    CHECK(summary.error().code == ErrorCode::Interrupted);
    // Nothing extracted: OUT holds only the marker of its name rules (name_probe.h).
    std::vector<std::string> entries;
    for (const auto& entry : fs::directory_iterator(temp.path() / "out"))
        entries.push_back(entry.path().filename().string());
    // (".bkcheck-names-plain" on Linux; a disk that folds case, as Wine's, gets another suffix).
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].rfind(".bkcheck-names-", 0) == 0);

    // Pressed while the files are written: the records after it are not read (folders and symlinks
    // included, which copy no content and so never looked at the flag before).
    struct CancelAtSecondSelection : RecordSource {
        const RecordSource& inner;
        std::atomic<bool>& cancel;
        mutable int passes = 0;
        mutable std::size_t handed = 0;
        CancelAtSecondSelection(const RecordSource& source, std::atomic<bool>& flag)
            : inner(source), cancel(flag)
        {
        }
        Status for_each(const RecordVisitor& visitor) const override
        {
            ++passes;
            RecordVisitor counting = visitor;
            counting.record = [&](FileRecord&& record) {
                ++handed;
                if (passes == 2 && handed > 1) cancel = true;
                visitor.record(std::move(record));
            };
            return inner.for_each(counting);
        }
    };
    cancel = false;
    CancelAtSecondSelection source(*records, cancel);
    auto stopped =
        extract_backup(real_file_system(), backup, source, temp.path() / "out2", options, sink);
    REQUIRE_FALSE(stopped);
    CHECK(stopped.error().code == ErrorCode::Interrupted);
    std::size_t written = 0;
    for (auto it = fs::recursive_directory_iterator(temp.path() / "out2");
         it != fs::recursive_directory_iterator(); ++it) {
        if (it->is_regular_file() || it->is_symlink()) ++written;
    }
    CHECK(written <= 2);
}

TEST_CASE("extract totals the sizes for its progress display only when asked: one pass less",
          "[extract]")
{
    TempDir temp;
    testgen::BackupSpec spec;
    spec.file_count = 40;
    spec.max_blob_bytes = 64;
    Generated generated = generate(spec, temp.path() / "backups");
    FindingSink sink;
    auto records = StreamedRecords::open(real_file_system(), generated.backup, nullptr, sink);
    REQUIRE(records);

    std::uint64_t file_bytes = file_bytes_of(*records);
    REQUIRE(file_bytes > 0);

    std::vector<ExtractSummary> summaries;
    for (bool total_for_progress : {true, false}) {
        CountingPasses source(*records);
        TotalSeen progress;
        ExtractOptions options;
        options.total_for_progress = total_for_progress;
        options.progress = &progress;
        auto summary =
            extract_backup(real_file_system(), generated.backup, source,
                           temp.path() / (total_for_progress ? "with" : "without"), options, sink);
        REQUIRE(summary);
        CHECK(source.passes == (total_for_progress ? 2 : 1));
        CHECK(progress.total == (total_for_progress ? file_bytes : 0));
        summaries.push_back(*summary);
    }
    CHECK(summaries[0].files == summaries[1].files);
    CHECK(summaries[0].bytes == summaries[1].bytes);
    CHECK(summaries[0].skipped == summaries[1].skipped);
}

TEST_CASE("export from the streamed index writes byte for byte the export of the gathered one",
          "[export]")
{
    for_each_variant([](IndexFormat format, bool encrypted) {
        TempDir temp;
        testgen::BackupSpec spec;
        spec.format = format;
        spec.encrypted = encrypted;
        spec.file_count = 120;
        spec.max_blob_bytes = 300;
        // A blob gone: its record must be left out of both exports alike.
        spec.damages = {testgen::Damage::BlobMissing};
        Generated generated = generate(spec, temp.path() / "backups");
        const Backup& backup = generated.backup;
        ExportOptions options;
        options.keys = generated.class_keys();

        FindingSink gathered_sink;
        auto gathered = load_backup_index(real_file_system(), backup, options.keys, gathered_sink);
        REQUIRE(gathered);
        auto from_gathered = export_backup(real_file_system(), backup, *gathered,
                                           temp.path() / "gathered", options, gathered_sink);
        REQUIRE(from_gathered);
        CHECK(from_gathered->skipped == 1);
        CHECK(from_gathered->records == gathered->records.size() - 1);

        FindingSink sink;
        auto streamed = StreamedRecords::open(real_file_system(), backup, options.keys, sink);
        REQUIRE(streamed);
        std::uint64_t file_bytes = file_bytes_of(*streamed);
        for (bool total_for_progress : {false, true}) {
            CountingPasses source(*streamed);
            TotalSeen progress;
            options.total_for_progress = total_for_progress;
            options.progress = &progress;
            fs::path out = temp.path() / (total_for_progress ? "streamed-with-total" : "streamed");
            auto from_stream =
                export_backup(real_file_system(), backup, source, out, options, sink);
            REQUIRE(from_stream);
            CHECK(source.passes == (total_for_progress ? 2 : 1));
            CHECK(progress.total == (total_for_progress ? file_bytes : 0));
            CHECK(from_stream->records == from_gathered->records);
            CHECK(from_stream->files == from_gathered->files);
            CHECK(from_stream->bytes == from_gathered->bytes);
            CHECK(from_stream->skipped == from_gathered->skipped);
            // Blobs, the rebuilt index and the plists: the same names and the same bytes.
            CHECK(snapshot_tree(out) == snapshot_tree(temp.path() / "gathered"));
        }
    });
}

TEST_CASE("export stops reading the index at Ctrl-C and leaves no finished-looking backup",
          "[export]")
{
    TempDir temp;
    testgen::BackupSpec spec;
    spec.file_count = 200;
    spec.max_blob_bytes = 8;
    Generated generated = generate(spec, temp.path() / "backups");
    FindingSink sink;
    auto records = StreamedRecords::open(real_file_system(), generated.backup, nullptr, sink);
    REQUIRE(records);
    std::atomic<bool> cancel{true};
    ExportOptions options;
    options.cancel = &cancel;
    auto exported = export_backup(real_file_system(), generated.backup, *records,
                                  temp.path() / "out", options, sink);
    REQUIRE_FALSE(exported);
    CHECK(exported.error().code == ErrorCode::Interrupted);
    fs::path folder = temp.path() / "out" / generated.backup.folder_name;
    CHECK_FALSE(fs::exists(folder / "Status.plist"));
    CHECK_FALSE(fs::exists(folder / "Manifest.db"));
}
