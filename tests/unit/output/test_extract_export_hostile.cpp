// Hostile backups: records crafted to make extract or export write outside OUT ("../", absolute
// paths, NUL, bad fileIDs, symlinks pointing out, a symlink then a file through it, a chain of
// symlinks, a symlink planted inside OUT beforehand). Nothing may appear outside OUT, and each is
// reported.
#include "bkcheck/backup_index.h"
#include "bkcheck/export_backup.h"
#include "bkcheck/extract.h"
#include "bytes.h"
#include "crypto.h"
#include "manifest_db.h"
#include "manifest_db_builder.h"
#include "mbdb.h"
#include "output_path.h"

#include "make_backup/backup_writer.h"
#include "support/symlinks.h"
#include "support/temp_dir.h"
#include "support/tree_snapshot.h"

#include <catch2/catch.hpp>

#include <fstream>

using namespace bkcheck;
namespace fs = std::filesystem;

namespace {

FileRecord hostile_file(std::string domain, std::string path)
{
    FileRecord record;
    record.domain = std::move(domain);
    record.relative_path = std::move(path);
    record.file_id = to_hex(sha1(as_bytes(record.domain + "-" + record.relative_path)));
    record.kind = FileKind::File;
    record.flags = k_flags_file;
    record.mode = k_mode_file | 04755;  // setuid: must never reach the disk
    record.modified = 1600000000;
    record.size = 6;
    return record;
}

FileRecord hostile_link(std::string domain, std::string path, std::string target)
{
    FileRecord record = hostile_file(std::move(domain), std::move(path));
    record.kind = FileKind::Symlink;
    record.flags = k_flags_symlink;
    record.mode = k_mode_symlink | 0755;
    record.size = 0;
    record.target = std::move(target);
    return record;
}

// A generated backup whose index gains `extra` records (with "ESCAPE" blobs for the files).
fs::path hostile_backup(const fs::path& parent, IndexFormat format,
                        const std::vector<FileRecord>& extra)
{
    testgen::BackupSpec spec;
    spec.format = format;
    spec.file_count = 10;
    auto dir = testgen::write_backup(spec, parent);
    REQUIRE(dir);
    auto backup = open_backup(real_file_system(), *dir);
    REQUIRE(backup);
    FindingSink sink;
    auto index = load_backup_index(real_file_system(), *backup, nullptr, sink);
    REQUIRE(index);
    std::vector<FileRecord> records = index->records;
    for (const FileRecord& record : extra) {
        records.push_back(record);
        if (record.kind != FileKind::File || !file_id_problem(record.file_id).empty()) continue;
        fs::path blob = *dir / blob_relative_path(format, record.file_id).value();
        fs::create_directories(blob.parent_path());
        std::ofstream(blob, std::ios::binary) << "ESCAPE";
    }
    if (format == IndexFormat::ManifestDb) {
        fs::remove(*dir / "Manifest.db");
        REQUIRE(write_manifest_db(real_writable_file_system(), *dir / "Manifest.db", records));
    } else {
        Bytes bytes = serialize_mbdb(records);
        std::ofstream(*dir / "Manifest.mbdb", std::ios::binary | std::ios::trunc)
            .write(reinterpret_cast<const char*>(bytes.data()),
                   static_cast<std::streamsize>(bytes.size()));
    }
    return *dir;
}

std::vector<FileRecord> hostile_records(bool with_bad_file_id)
{
    std::vector<FileRecord> records = {
        hostile_file("HomeDomain", "../../escape-dotdot.txt"),
        hostile_file("HomeDomain", "/tmp/bkcheck-escape-absolute.txt"),
        hostile_file("..", "escape-domain.txt"),
        hostile_file("../HomeDomain", "escape-domain-path.txt"),
        hostile_file("HomeDomain", std::string("Library/nul\0/../../../escape-nul.txt", 37)),
        hostile_link("HomeDomain", "Library/up", "../../../.."),
        hostile_link("HomeDomain", "Library/abs", "/etc"),
        // Stays inside (OUT itself), so it is written; what walks through it is not.
        hostile_link("HomeDomain", "Library/hop", "../.."),
        hostile_file("HomeDomain", "Library/hop/escape-through-link.txt"),
        // "hop/.." would be OUT/.. once hop is followed: refused though it looks like it stays
        // inside.
        hostile_link("HomeDomain", "Library/chain", "hop/.."),
        hostile_file("HomeDomain", "Library/kept.txt"),
    };
    if (with_bad_file_id) {
        FileRecord bad = hostile_file("HomeDomain", "Library/bad-file-id.txt");
        bad.file_id = "../../../../escape-file-id";
        records.push_back(bad);
        FileRecord upper = hostile_file("HomeDomain", "Library/upper-file-id.txt");
        upper.file_id = "ABCDEF0123456789ABCDEF0123456789ABCDEF01";
        records.push_back(upper);
    }
    return records;
}

test::TreeSnapshot outside_of(const fs::path& root, const fs::path& out)
{
    test::TreeSnapshot snapshot = test::snapshot_tree(root);
    std::string prefix = fs::relative(out, root).generic_string();
    for (auto it = snapshot.begin(); it != snapshot.end();) {
        it = it->first == prefix || it->first.rfind(prefix + "/", 0) == 0 ? snapshot.erase(it)
                                                                          : std::next(it);
    }
    return snapshot;
}

// Every symlink under OUT resolves inside it; no file has setuid/setgid/sticky bits.
void check_contained(const fs::path& out)
{
    fs::path root = fs::canonical(out);
    for (const auto& entry : fs::recursive_directory_iterator(out)) {
        if (entry.is_symlink()) {
            fs::path resolved = fs::weakly_canonical(entry.path());
            INFO(entry.path().string() << " -> " << resolved.string());
            CHECK(resolved.string().rfind(root.string(), 0) == 0);
        } else {
            CHECK((fs::status(entry.path()).permissions() &
                   (fs::perms::set_uid | fs::perms::set_gid | fs::perms::sticky_bit)) ==
                  fs::perms::none);
            CHECK(entry.path().filename().string().rfind(std::string(k_partial_prefix), 0) != 0);
        }
    }
}

}  // namespace

TEST_CASE("output names: what is refused", "[extract][hostile]")
{
    CHECK(file_id_problem("0123456789abcdef0123456789abcdef01234567").empty());
    CHECK_FALSE(file_id_problem("0123456789ABCDEF0123456789abcdef01234567").empty());
    CHECK_FALSE(file_id_problem("../../0123456789abcdef0123456789abcdef01").empty());
    CHECK_FALSE(file_id_problem("").empty());
    CHECK(output_name_problem("HomeDomain", "Library/Preferences/a.plist").empty());
    CHECK(output_name_problem("HomeDomain", "").empty());
    CHECK(output_name_problem("HomeDomain", "..data/x..y").empty());
    for (std::string_view path : {"../x", "a/../../x", "/etc/passwd", "a//b", "a/./b", "a/", "."}) {
        INFO(path);
        CHECK_FALSE(output_name_problem("HomeDomain", path).empty());
    }
    CHECK_FALSE(output_name_problem("HomeDomain", std::string("a\0b", 3)).empty());
    CHECK_FALSE(output_name_problem("..", "x").empty());
    CHECK_FALSE(output_name_problem("", "x").empty());
    CHECK_FALSE(output_name_problem("Home/Domain", "x").empty());
    CHECK_FALSE(output_name_problem("HomeDomain", std::string(256, 'a')).empty());

    std::vector<std::string> link = {"HomeDomain", "Library", "link"};
    CHECK(symlink_target_stays_inside(link, "Preferences/a.plist"));
    CHECK(symlink_target_stays_inside(link, "../.."));
    CHECK(symlink_target_stays_inside(link, "./../x"));
    CHECK_FALSE(symlink_target_stays_inside(link, "../../.."));
    CHECK_FALSE(symlink_target_stays_inside(link, "/etc"));
    CHECK_FALSE(symlink_target_stays_inside(link, "x/../.."));
    CHECK_FALSE(symlink_target_stays_inside(link, "x/.."));
    CHECK_FALSE(symlink_target_stays_inside(link, ""));
}

TEST_CASE("no hostile record makes extract or export write outside OUT",
          "[extract][export][hostile]")
{
    for (IndexFormat format : {IndexFormat::ManifestDb, IndexFormat::ManifestMbdb}) {
        DYNAMIC_SECTION((format == IndexFormat::ManifestDb ? "Manifest.db" : "Manifest.mbdb"))
        {
            test::TempDir temp;
            bool db = format == IndexFormat::ManifestDb;
            fs::path dir = hostile_backup(temp.path() / "backups", format, hostile_records(db));
            auto backup = open_backup(real_file_system(), dir);
            REQUIRE(backup);
            FindingSink index_sink;
            auto index = load_backup_index(real_file_system(), *backup, nullptr, index_sink);
            REQUIRE(index);
            fs::path out = temp.path() / "sandbox" / "deep" / "out";
            fs::create_directories(out);
            test::TreeSnapshot before = outside_of(temp.path(), out);

            FindingSink sink(1000);
            auto summary = extract_backup(real_file_system(), *backup, *index, out, {}, sink);
            REQUIRE(summary);
            CHECK(outside_of(temp.path(), out) == before);
            CHECK_FALSE(fs::exists("/tmp/bkcheck-escape-absolute.txt"));
            check_contained(out);
            // ../, absolute, ".." domain, "../" in the domain, NUL; the two bad fileIDs (db only).
            CHECK(sink.count("extract.unsafe_name") == (db ? 7u : 5u));
#ifdef _WIN32
            // Windows creates no symbolic link without Developer Mode (nor under Wine): the link
            // record Library/hop is not written, and the file under it lands in a real folder.
            const std::string not_written = "Library/hop";
#else
            const std::string not_written = "Library/hop/escape-through-link.txt";
#endif
            CHECK(sink.count("extract.not_written") == 1);  // the file through Library/hop
            for (const Finding& finding : sink.kept()) {
                if (finding.code == "extract.not_written") CHECK(finding.path == not_written);
            }
            std::size_t outside_links = 0;
            for (const Finding& finding : sink.kept()) {
                if (finding.code != "extract.symlink_outside") continue;
                ++outside_links;
            }
            CHECK(outside_links >= 3);  // up, abs, chain (and the generator's absolute ones)
#ifndef _WIN32
            CHECK(fs::is_symlink(out / "HomeDomain/Library/hop"));
#endif
            CHECK_FALSE(
                fs::exists(out / "HomeDomain/Library/up", *std::make_unique<std::error_code>()));
            CHECK_FALSE(fs::is_symlink(out / "HomeDomain/Library/chain"));
            fs::path kept = out / "HomeDomain/Library/kept.txt";
            REQUIRE(fs::exists(kept));
            CHECK((fs::status(kept).permissions() & fs::perms::set_uid) == fs::perms::none);
            CHECK(summary->skipped == sink.count("extract.unsafe_name") +
                                          sink.count("extract.not_written") +
                                          sink.count("extract.symlink_outside"));

            FindingSink export_sink(1000);
            fs::path export_out = temp.path() / "sandbox" / "export";
            auto exported =
                export_backup(real_file_system(), *backup, *index, export_out, {}, export_sink);
            REQUIRE(exported);
            CHECK(export_sink.count("extract.unsafe_name") ==
                  (db ? 2u : 0u));  // blobs are named by fileID only
            test::TreeSnapshot after_export = outside_of(temp.path(), out);
            std::erase_if(after_export, [](const auto& entry) {
                return entry.first.rfind("sandbox/export", 0) == 0;
            });
            CHECK(after_export == before);
            for (const auto& entry : fs::recursive_directory_iterator(export_out)) {
                std::string relative = fs::relative(entry.path(), export_out).string();
                CHECK(relative.rfind(backup->folder_name, 0) == 0);
                CHECK_FALSE(entry.is_symlink());
            }
        }
    }
}

TEST_CASE("a symlink planted inside OUT beforehand is never walked through", "[extract][hostile]")
{
    BKCHECK_SKIP_WITHOUT_SYMLINKS();
    test::TempDir temp;
    fs::path dir = hostile_backup(temp.path() / "backups", IndexFormat::ManifestDb, {});
    auto backup = open_backup(real_file_system(), dir);
    REQUIRE(backup);
    FindingSink index_sink;
    auto index = load_backup_index(real_file_system(), *backup, nullptr, index_sink);
    REQUIRE(index);
    fs::path out = temp.path() / "out";
    fs::path elsewhere = temp.path() / "elsewhere";
    fs::create_directories(out);
    fs::create_directories(elsewhere);
    // As if another process (or an earlier run on another backup) left it there.
    fs::create_directory_symlink(elsewhere, out / "HomeDomain");
    FindingSink sink(1000);
    auto summary = extract_backup(real_file_system(), *backup, *index, out, {}, sink);
    REQUIRE(summary);
    CHECK(fs::is_empty(elsewhere));
    std::size_t home_records = 0;
    std::size_t home_links_outside = 0;
    for (const FileRecord& record : index->records) {
        if (record.domain != "HomeDomain") continue;
        bool outside = record.kind == FileKind::Symlink &&
                       !symlink_target_stays_inside(
                           output_components(record.domain, record.relative_path), record.target);
        (outside ? home_links_outside : home_records) += 1;
    }
    REQUIRE(home_records > 0);
    CHECK(sink.count("extract.not_written") == home_records);
    CHECK(sink.count("extract.symlink_outside") >= home_links_outside);
}

TEST_CASE("extract and export refuse an output folder inside the backup",
          "[extract][export][hostile]")
{
    test::TempDir temp;
    fs::path dir = hostile_backup(temp.path() / "backups", IndexFormat::ManifestMbdb, {});
    auto backup = open_backup(real_file_system(), dir);
    REQUIRE(backup);
    FindingSink sink;
    auto index = load_backup_index(real_file_system(), *backup, nullptr, sink);
    REQUIRE(index);
    test::TreeSnapshot before = test::snapshot_tree(dir);
    for (const fs::path& out : {dir, dir / "out", dir / "sub" / ".." / "out2",
                                temp.path() / "backups" / "." / dir.filename()}) {
        INFO(out.string());
        auto extracted = extract_backup(real_file_system(), *backup, *index, out, {}, sink);
        REQUIRE_FALSE(extracted);
        CHECK(extracted.error().code == ErrorCode::InvalidArgument);
        auto exported = export_backup(real_file_system(), *backup, *index, out, {}, sink);
        REQUIRE_FALSE(exported);
    }
    CHECK(test::snapshot_tree(dir) == before);
    // Beside the backup is fine.
    CHECK(extract_backup(real_file_system(), *backup, *index, temp.path() / "backups" / "beside",
                         {}, sink));
}
