// ls and usage stream the index. When a damaged Manifest.db page stops the reading part-way, SQLite
// has already handed over the rows before it: both show those, but must not pass them off as the
// whole backup — they say so on stderr with the findings, exit 1, and --json carries
// "index_damaged". (Before, both printed the partial list silently and exited 0.)
#include "make_backup/backup_writer.h"
#include "support/damaged_page.h"
#include "support/run_cli.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace bkcheck;
using namespace bkcheck::test;

namespace {

std::size_t count_lines(const std::string& text)
{
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// A Manifest.db backup with enough rows (800 files, their folders and links) that its Files table
// spans several leaf pages, so one damaged page loses some rows and leaves others.
fs::path write_backup_of_many_rows(const fs::path& parent, bool write_blobs)
{
    testgen::BackupSpec spec;
    spec.file_count = 800;
    spec.max_blob_bytes = 8;
    spec.write_blobs = write_blobs;
    auto dir = testgen::write_backup(spec, parent);
    REQUIRE(dir);
    return *dir;
}

}  // namespace

TEST_CASE(
    "ls and usage of a Manifest.db damaged part-way show what was read, say it is partial, exit 1")
{
    TempDir temp;
    fs::path dir = write_backup_of_many_rows(temp.path(), false);
    std::string backup = dir.string();

    CliRun whole = run_cli({"ls", backup});
    REQUIRE(whole.code == 0);
    CHECK(whole.err.empty());
    std::size_t all_rows = count_lines(whole.out);
    REQUIRE(all_rows > 800);

    CHECK(run_cli({"ls", "--json", backup}).out.find("\"index_damaged\": false") !=
          std::string::npos);
    damage_middle_files_page(dir / "Manifest.db");

    CliRun ls = run_cli({"ls", backup});
    CHECK(ls.code == 1);
    std::size_t shown = count_lines(ls.out);
    CHECK(shown > 0);
    CHECK(shown < all_rows);
    CHECK(ls.err.find(
              "the index is damaged: what is shown covers only the rows that could be read") !=
          std::string::npos);
    CHECK(ls.err.find("manifest.unreadable") != std::string::npos);

    CliRun ls_json = run_cli({"ls", "--json", backup});
    CHECK(ls_json.code == 1);
    CHECK(ls_json.out.find("\"index_damaged\": true") != std::string::npos);
    CHECK(ls_json.out.find("\"records\": [") != std::string::npos);

    CliRun usage = run_cli({"usage", "--json", backup});
    CHECK(usage.code == 1);
    CHECK(usage.out.find("\"index_damaged\": true") != std::string::npos);
    CHECK(usage.err.find("the index is damaged") != std::string::npos);

    CliRun whole_usage_json = run_cli({"usage", "--json", backup + "-missing"});
    // No index at all: no usage document, but the error as one JSON object, for scripts.
    CHECK(whole_usage_json.code == 5);
    CHECK(whole_usage_json.out.find("\"total_bytes\"") == std::string::npos);
    CHECK(whole_usage_json.out.find("\"error\": {") != std::string::npos);
    CHECK(whole_usage_json.out.find("\"exit_code\": 5") != std::string::npos);
}

namespace {

// The N of "<prefix>N ..." in `text` (the summary line of extract or export), or 0.
std::size_t number_after(const std::string& text, const std::string& prefix)
{
    std::size_t at = text.find(prefix);
    return at == std::string::npos ? 0 : std::stoul(text.substr(at + prefix.size()));
}

}  // namespace

// extract and export do not stop at the first damaged page as SQLite does: they read the index
// again by salvage (repair's rowid scan), so every record that survives comes out, say so, and
// exit 1.
TEST_CASE(
    "extract and export of a Manifest.db damaged part-way get every record that survives, and exit "
    "1")
{
    TempDir temp;
    fs::path dir = write_backup_of_many_rows(temp.path() / "in", true);
    std::string backup = dir.string();

    CliRun whole = run_cli({"extract", backup, (temp.path() / "whole").string()});
    // Symlinks that point outside OUT (every generated backup has some) are a warning: exit 0.
    REQUIRE(whole.code == 0);
    std::size_t all_files = number_after(whole.out, "Extracted ");
    REQUIRE(all_files >= 800);
    // A selection exits 0 on the sound index too, so its exit 1 below is the damage's.
    const std::string notes = "AppDomain-com.example.notes";
    REQUIRE(
        run_cli({"extract", "--domain", notes, backup, (temp.path() / "notes").string()}).code ==
        0);

    damage_middle_files_page(dir / "Manifest.db");
    std::size_t before_damage = count_lines(run_cli({"ls", backup}).out);

    CliRun damaged = run_cli({"extract", backup, (temp.path() / "damaged").string()});
    CHECK(damaged.code == 1);
    CHECK(damaged.out.find("manifest.unreadable") != std::string::npos);
    CHECK(damaged.out.find("manifest.salvaged") != std::string::npos);
    CHECK(damaged.out.find("The index is damaged") != std::string::npos);
    CHECK(damaged.out.find("  /Manifest.db") == std::string::npos);  // no domain: no leading slash
    std::size_t salvaged_files = number_after(damaged.out, "Extracted ");
    CHECK(salvaged_files < all_files);      // one leaf page of rows is lost
    CHECK(salvaged_files > before_damage);  // but the rows after it come out too
    CHECK(salvaged_files > all_files * 3 / 4);
    CHECK(run_cli({"extract", "--domain", notes, backup, (temp.path() / "notes-damaged").string()})
              .code == 1);

    CliRun exported = run_cli({"export", backup, (temp.path() / "exported").string()});
    CHECK(exported.code == 1);
    CHECK(exported.out.find("The index is damaged") != std::string::npos);
    fs::path copy = temp.path() / "exported" / dir.filename();
    CliRun verified = run_cli({"verify", "--read-data", copy.string()});
    CHECK(verified.code == 0);
    CHECK(count_lines(run_cli({"ls", copy.string()}).out) > before_damage);
}
