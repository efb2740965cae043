// extract and export with a fault injected at each operation on OUT in turn (opening it, each
// folder, each file's creation, write and commit, each sync): the backup is never changed, OUT
// never holds a partial file under a real name, and every file it does hold is whole; an export
// either has no Status.plist (it reads as unfinished) or verifies clean.
#include "bkcheck/backup_index.h"
#include "bkcheck/export_backup.h"
#include "bkcheck/extract.h"
#include "bkcheck/verifier.h"

#include "make_backup/backup_writer.h"
#include "make_backup/content.h"
#include "output_tree.h"
#include "support/faulty_writer.h"
#include "support/file_contents.h"
#include "support/temp_dir.h"
#include "support/tree_snapshot.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

using namespace bkcheck;
namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t k_seed = 11;

struct Source {
    test::TempDir temp;
    fs::path dir;
    test::TreeSnapshot original;
    Backup backup;
    ManifestIndex index;

    explicit Source(IndexFormat format)
    {
        testgen::BackupSpec spec;
        spec.format = format;
        spec.file_count = 6;
        spec.max_blob_bytes = 3 << 20;  // some files take several 1 MB writes
        spec.seed = k_seed;
        auto written = testgen::write_backup(spec, temp.path() / "backups");
        REQUIRE(written);
        dir = *written;
        original = test::snapshot_tree(temp.path() / "backups");
        auto opened = open_backup(real_file_system(), dir);
        REQUIRE(opened);
        backup = std::move(*opened);
        FindingSink sink;
        auto loaded = load_backup_index(real_file_system(), backup, nullptr, sink);
        REQUIRE(loaded);
        index = std::move(*loaded);
    }
};

using test::read_bytes;

std::size_t count_partials(const fs::path& root)
{
    std::size_t count = 0;
    if (!fs::exists(root)) return 0;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (entry.path().filename().string().rfind(std::string(k_partial_prefix), 0) == 0) ++count;
    }
    return count;
}

// Every file of the index found under OUT holds exactly its plaintext; returns how many there were.
std::size_t check_whole_files(const ManifestIndex& index, const fs::path& out)
{
    std::size_t whole = 0;
    for (const FileRecord& record : index.records) {
        if (record.kind != FileKind::File) continue;
        fs::path written = out / record.domain / record.relative_path;
        if (!fs::exists(written)) continue;
        INFO(written);
        CHECK(read_bytes(written) == testgen::make_content(record, k_seed));
        ++whole;
    }
    return whole;
}

// The operations a run makes on OUT without a fault (and checks that it succeeds).
template <typename Run>
std::size_t count_operations(Run run)
{
    test::FaultyWriter counting;
    REQUIRE(run(counting));
    REQUIRE(counting.changes() > 5);
    return counting.changes();
}

}  // namespace

TEST_CASE("extract with a fault at each operation on OUT leaves only whole files",
          "[extract][faults]")
{
    Source source(IndexFormat::ManifestDb);
    test::TempDir outs;
    auto extract_into = [&](const fs::path& out, test::FaultyWriter& writer) {
        FindingSink sink;
        ExtractOptions options;
        options.writer = &writer;
        return extract_backup(real_file_system(), source.backup, source.index, out, options, sink);
    };
    std::size_t total = count_operations(
        [&](test::FaultyWriter& writer) { return extract_into(outs.path() / "all", writer); });
    std::size_t all_files = check_whole_files(source.index, outs.path() / "all");
    REQUIRE(all_files > 0);
    for (std::size_t n = 1; n <= total; ++n) {
        DYNAMIC_SECTION("fault at operation " << n << " of " << total)
        {
            fs::path out = outs.path() / ("out" + std::to_string(n));
            test::FaultyWriter writer(n);
            auto run = extract_into(out, writer);
            REQUIRE(writer.fired());
            // Every operation that can fail stops the run (an Io error, never a skipped name).
            REQUIRE_FALSE(run);
            CHECK(run.error().code == ErrorCode::Io);
            CHECK(count_partials(out) == 0);
            check_whole_files(source.index, out);
            CHECK(test::snapshot_tree(source.temp.path() / "backups") == source.original);
        }
    }
}

TEST_CASE("export with a fault at each operation on OUT leaves an unfinished or sound backup",
          "[export][faults]")
{
    Source source(IndexFormat::ManifestDb);
    test::TempDir outs;
    auto export_into = [&](const fs::path& out, test::FaultyWriter& writer) {
        FindingSink sink;
        ExportOptions options;
        options.writer = &writer;
        return export_backup(real_file_system(), source.backup, source.index, out, options, sink);
    };
    std::size_t total = count_operations(
        [&](test::FaultyWriter& writer) { return export_into(outs.path() / "all", writer); });
    for (std::size_t n = 1; n <= total; ++n) {
        DYNAMIC_SECTION("fault at operation " << n << " of " << total)
        {
            fs::path out = outs.path() / ("out" + std::to_string(n));
            test::FaultyWriter writer(n);
            auto run = export_into(out, writer);
            REQUIRE(writer.fired());
            REQUIRE_FALSE(run);
            CHECK(run.error().code == ErrorCode::Io);
            CHECK(count_partials(out) == 0);
            CHECK(test::snapshot_tree(source.temp.path() / "backups") == source.original);
            fs::path folder = out / source.backup.folder_name;
            if (!fs::exists(folder / "Status.plist")) continue;
            // Only the last sync failed: everything was written, and it is a sound backup.
            auto exported = open_backup(real_file_system(), folder);
            REQUIRE(exported);
            FindingSink sink;
            VerifyOptions verify;
            verify.read_data = true;
            auto verdict = verify_backup(real_file_system(), *exported, verify, sink);
            REQUIRE(verdict);
            CHECK(verdict->verdict == Verdict::Ok);
        }
    }
}
