// Hash lists (extract/export --hash-list): the line format is coreutils sha256sum's, escaping
// included; every file a run wrote is listed once with the SHA-256 of the bytes that went into it
// (the generator's plaintext for an encrypted backup), and nothing else.
#include "bkcheck/export_backup.h"
#include "bkcheck/extract.h"
#include "bkcheck/unlock.h"
#include "crypto.h"
#include "hash_list.h"

#include "make_backup/backup_writer.h"
#include "make_backup/content.h"
#include "support/file_contents.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

using namespace bkcheck;
namespace fs = std::filesystem;

namespace {

using test::read_text;

// The list as path -> hex digest (names without escapes: the generated ones are plain).
std::map<std::string, std::string> parse_list(const std::string& text)
{
    std::map<std::string, std::string> entries;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        REQUIRE(line.size() > 66);
        REQUIRE(line.substr(64, 2) == "  ");
        REQUIRE(entries.emplace(line.substr(66), line.substr(0, 64)).second);
    }
    return entries;
}

std::size_t regular_files_under(const fs::path& dir)
{
    std::size_t count = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir))
        count += entry.is_regular_file() && !entry.is_symlink();
    return count;
}

}  // namespace

TEST_CASE("sha256sum_line writes what coreutils sha256sum writes", "[hash-list]")
{
    Sha256Digest digest = sha256(as_bytes("x"));
    std::string hex = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881";
    CHECK(to_hex(digest) == hex);
    CHECK(sha256sum_line(digest, "dir/a b.txt") == hex + "  dir/a b.txt\n");
    // coreutils 9.1, checked with `sha256sum` on such names: a leading backslash, then \\ \n \r.
    CHECK(sha256sum_line(digest, "a\rb") == "\\" + hex + "  a\\rb\n");
    CHECK(sha256sum_line(digest, "c\nd") == "\\" + hex + "  c\\nd\n");
    CHECK(sha256sum_line(digest, "e\\f") == "\\" + hex + "  e\\\\f\n");
}

TEST_CASE("hash list files: an existing file is replaced only with --overwrite", "[hash-list]")
{
    // A sha256sum list looks the same whoever wrote it (a download's SHA256SUMS): none is taken
    // for bkcheck's own.
    CHECK_FALSE(hash_list_file_options(false).is_own);
    CHECK_FALSE(hash_list_file_options(false).replace_any);
    CHECK(hash_list_file_options(true).replace_any);
}

TEST_CASE("extract and export --hash-list: every file written, its plaintext's SHA-256",
          "[hash-list][extract][export]")
{
    for (bool encrypted : {false, true}) {
        INFO("encrypted " << encrypted);
        test::TempDir temp;
        testgen::BackupSpec spec;
        spec.encrypted = encrypted;
        spec.file_count = 20;
        auto dir = testgen::write_backup(spec, temp.path() / "backups");
        REQUIRE(dir);
        auto backup = open_backup(real_file_system(), *dir);
        REQUIRE(backup);
        std::optional<UnlockedKeys> keys;
        if (encrypted) keys = *unlock_with_password(*backup, spec.password);
        FindingSink sink;
        auto index = load_backup_index(real_file_system(), *backup,
                                       keys ? keys->class_keys.get() : nullptr, sink);
        REQUIRE(index);

        ExtractOptions extract;
        extract.keys = keys ? keys->class_keys.get() : nullptr;
        extract.hash_list = temp.path() / "extract.sha256";
        fs::path out = temp.path() / "out";
        auto extracted = extract_backup(real_file_system(), *backup, *index, out, extract, sink);
        REQUIRE(extracted);
        auto listed = parse_list(read_text(extract.hash_list));
        CHECK(extracted->hash_listed == listed.size());
        CHECK(listed.size() == regular_files_under(out));
        // Every file the run wrote: the records' files and the empty marker of the name rules.
        CHECK(listed.size() == extracted->files + 1);
        std::size_t markers = 0;
        for (const auto& [path, digest] : listed) {
            if (path.rfind(".bkcheck-names-", 0) != 0) continue;
            ++markers;
            CHECK(digest == to_hex(sha256(ByteView())));
        }
        CHECK(markers == 1);
        std::size_t compared = 0;
        for (const FileRecord& record : index->records) {
            if (record.kind != FileKind::File) continue;
            auto it = listed.find(record.domain + "/" + record.relative_path);
            REQUIRE(it != listed.end());
            CHECK(it->second == to_hex(sha256(testgen::make_content(record, spec.seed))));
            ++compared;
        }
        CHECK(compared == extracted->files);

        ExportOptions exporting;
        exporting.keys = extract.keys;
        exporting.hash_list = temp.path() / "export.sha256";
        auto exported = export_backup(real_file_system(), *backup, *index, temp.path() / "exported",
                                      exporting, sink);
        REQUIRE(exported);
        auto export_listed = parse_list(read_text(exporting.hash_list));
        CHECK(export_listed.size() == regular_files_under(temp.path() / "exported"));
        CHECK(exported->hash_listed == export_listed.size());
        // The index and plists are listed under the export folder, each file as it is on disk.
        std::string folder = exported->folder.filename().string();
        for (const char* name : {"Manifest.db", "Manifest.plist", "Info.plist", "Status.plist"}) {
            auto it = export_listed.find(folder + "/" + name);
            REQUIRE(it != export_listed.end());
            CHECK(it->second == to_hex(sha256(as_bytes(read_text(exported->folder / name)))));
        }
    }
}

TEST_CASE("hash list: a path inside the backup is refused before anything is written",
          "[hash-list]")
{
    test::TempDir temp;
    testgen::BackupSpec spec;
    spec.file_count = 3;
    auto dir = testgen::write_backup(spec, temp.path() / "backups");
    REQUIRE(dir);
    auto backup = open_backup(real_file_system(), *dir);
    REQUIRE(backup);
    FindingSink sink;
    auto index = load_backup_index(real_file_system(), *backup, nullptr, sink);
    REQUIRE(index);
    ExtractOptions extract;
    extract.hash_list = *dir / "list.sha256";
    auto refused =
        extract_backup(real_file_system(), *backup, *index, temp.path() / "out", extract, sink);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::InvalidArgument);
    CHECK_FALSE(fs::exists(temp.path() / "out"));
    CHECK_FALSE(fs::exists(extract.hash_list));
}
