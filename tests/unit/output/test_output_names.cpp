// Issue 28: names that survive other disks. extract into an in-memory disk that folds case and
// Unicode form (and, as Windows, refuses some names) never merges two records into one file, never
// lets one record replace another's file (with or without --overwrite, over several runs, filtered
// or not), escapes what the disk refuses reversibly, and reports each renamed file (name.renamed).
#include "bkcheck/backup_index.h"
#include "bkcheck/export_backup.h"
#include "bkcheck/extract.h"
#include "bkcheck/findings.h"
#include "bkcheck/report.h"
#include "export_into.h"
#include "extract_into.h"
#include "name_probe.h"
#include "portable_names.h"

#include "make_backup/backup_writer.h"
#include "support/file_contents.h"
#include "support/folding_output_tree.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <random>
#include <set>

using namespace bkcheck;
using bkcheck::test::FoldingOutputTree;
namespace fs = std::filesystem;

namespace {

using test::read_text;

// A generated backup with the clashing names (SMS.db beside sms.db, "a:b.txt", "draft.",
// "CON.txt", café in NFC and NFD, Library/notes beside Library/Notes), its index, and each
// record's content as a Linux extract writes it (domain/path -> bytes).
struct Clashing {
    test::TempDir temp;
    Backup backup;
    ManifestIndex index;
    std::map<std::string, std::string> content;
};

std::unique_ptr<Clashing> clashing_backup(IndexFormat format = IndexFormat::ManifestDb,
                                          std::string folder_name = {})
{
    auto made = std::make_unique<Clashing>();
    testgen::BackupSpec spec;
    spec.format = format;
    spec.folder_name = std::move(folder_name);
    spec.file_count = 6;
    spec.clashing_names = true;
    auto dir = testgen::write_backup(spec, made->temp.path());
    REQUIRE(dir);
    auto backup = open_backup(real_file_system(), *dir);
    REQUIRE(backup);
    made->backup = *backup;
    FindingSink sink;
    auto index = load_backup_index(real_file_system(), made->backup, nullptr, sink);
    REQUIRE(index);
    made->index = std::move(*index);
    // The reference: each file record's content, read from its blob (the backup is not encrypted).
    for (const FileRecord& record : made->index.records) {
        if (record.kind != FileKind::File) continue;
        auto blob = blob_relative_path(made->index.format, record.file_id);
        REQUIRE(blob);
        made->content[record.domain + "/" + record.relative_path] =
            read_text(made->backup.path / *blob);
    }
    REQUIRE(made->content.count("HomeDomain/Library/SMS/SMS.db") == 1);
    REQUIRE(made->content.at("HomeDomain/Library/SMS/SMS.db") !=
            made->content.at("HomeDomain/Library/SMS/sms.db"));
    return made;
}

struct Run {
    ExtractSummary summary;
    std::vector<Finding> findings;
    std::size_t count(std::string_view code) const
    {
        return static_cast<std::size_t>(std::count_if(
            findings.begin(), findings.end(), [&](const Finding& f) { return f.code == code; }));
    }
};

Run extract_to(FoldingOutputTree& tree, const Clashing& made, OutputNames names, bool overwrite,
               const RecordFilter& filter = {})
{
    tree.set_overwrite(overwrite);
    ExtractOptions options;
    options.names = names;
    options.overwrite = overwrite;
    options.filter = filter;
    FindingSink sink(1000);
    auto summary = extract_into(tree, real_file_system(), made.backup, IndexRecords(made.index),
                                options, sink);
    REQUIRE(summary);
    return {*summary, sink.kept()};
}

// Where each file record of the run landed: its reported written_as, or its own name.
std::map<std::string, std::string> landing(const Run& run, const Clashing& made)
{
    std::map<std::string, std::string> where;
    for (const auto& [name, bytes] : made.content) where[name] = name;
    for (const Finding& finding : run.findings) {
        if (finding.code != finding_code::name_renamed) continue;
        CHECK(!finding.written_as.empty());
        CHECK(finding.message.find(finding.written_as) != std::string::npos);
        std::string name = finding.domain + "/" + finding.path;
        if (where.count(name)) where[name] = finding.written_as;
    }
    return where;
}

// Every file record of the backup is in the tree at its landing name with its own content, and no
// two records share a landing name.
void check_every_record_whole(const FoldingOutputTree& tree, const Run& run, const Clashing& made)
{
    auto entries = tree.entries();
    std::set<std::string> used;
    for (const auto& [name, written_as] : landing(run, made)) {
        INFO(name << " -> " << written_as);
        CHECK(used.insert(tree.key(written_as)).second);
        REQUIRE(entries.count(written_as) == 1);
        CHECK(entries.at(written_as) == made.content.at(name));
    }
}

std::string file_id_of(const Clashing& made, std::string_view path)
{
    for (const FileRecord& record : made.index.records)
        if (record.relative_path == path) return record.file_id;
    FAIL("no record " << path);
    return {};
}

}  // namespace

TEST_CASE("escaping is reversible and touches only what a disk refuses", "[names]")
{
    NameRules portable = portable_name_rules();
    CHECK(escape_component("a:b.txt", portable) == "a%3Ab.txt");
    CHECK(escape_component("draft.", portable) == "draft%2E");
    CHECK(escape_component("trailing ", portable) == "trailing%20");
    CHECK(escape_component("CON.txt", portable) == "CO%4E.txt");
    CHECK(escape_component("com1", portable) == "com%31");
    CHECK(escape_component("COM10", portable) == "COM10");  // only COM1-COM9 are devices
    CHECK(escape_component("a\x01?*<>|\"\\", portable) == "a%01%3F%2A%3C%3E%7C%22%5C");
    CHECK(escape_component("100%.txt", portable) == "100%.txt");            // no escape to misread
    CHECK(escape_component("https%3A%2F", portable) == "https%253A%252F");  // would be misread
    CHECK(escape_component("x%~1", portable) == "x%25~1");                  // bkcheck's mark
    CHECK(escape_component("bad\xff.txt", portable) == "bad%FF.txt");       // not UTF-8
    CHECK(escape_component("caf\xC3\xA9", portable) == "caf\xC3\xA9");      // UTF-8 stays
    // A Linux disk (native, case- and form-sensitive): every name as it is.
    CHECK(escape_component("a:b%41.", NameRules{}) == "a:b%41.");

    // Any byte string survives the round trip.
    std::mt19937 random(28);
    const std::string alphabet = "%~:.  aA0F9fCON1\x01\xC3\xA9\xCC\x81\xff/?";
    for (int i = 0; i < 5000; ++i) {
        std::string name;
        std::size_t length = 1 + random() % 12;
        for (std::size_t j = 0; j < length; ++j) name += alphabet[random() % alphabet.size()];
        INFO(name);
        REQUIRE(unescape_component(escape_component(name, portable)) == name);
        REQUIRE(escape_component(name, portable).find("%~") == std::string::npos);
    }
}

TEST_CASE("folding keys: case and Unicode form, bounded", "[names]")
{
    NameRules portable = portable_name_rules();
    CHECK(fold_key("SMS.db", portable) == fold_key("sms.db", portable));
    CHECK(fold_key("caf\xC3\xA9", portable) == fold_key("cafe\xCC\x81", portable));  // NFC, NFD
    CHECK(fold_key("CAF\xC3\x89", portable) == fold_key("caf\xC3\xA9", portable));   // É, é
    CHECK(fold_key("\xC3\x85", portable) == fold_key("a\xCC\x8A", portable));        // Å, å
    CHECK(fold_key("\xD0\x96", portable) == fold_key("\xD0\xB6", portable));         // Ж, ж
    CHECK(fold_key("\xEA\xB0\x81", portable) == fold_key("\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8",
                                                         portable));  // 각, Hangul NFC / NFD
    CHECK(fold_key("sms.db", portable) != fold_key("sms.dc", portable));
    NameRules case_only;
    case_only.fold_case = true;
    CHECK(fold_key("caf\xC3\xA9", case_only) != fold_key("cafe\xCC\x81", case_only));
    CHECK(fold_key("SMS.db", NameRules{}) != fold_key("sms.db", NameRules{}));
}

TEST_CASE("distinct names keep the extension and fit in 255 bytes", "[names]")
{
    CHECK(distinct_name("sms.db", "3d0d7e5f") == "sms%~3d0d7e5f.db");
    CHECK(distinct_name(".profile", "12345678") == ".profile%~12345678");
    CHECK(distinct_name("draft%2E", "12345678") == "draft%2E%~12345678");
    std::string long_name(240, 'x');
    long_name += "%3A%3A%3A%3A%3A.txt";
    std::string shortened = distinct_name(long_name, "0123456789abcdef");
    CHECK(shortened.size() <= 255);
    CHECK(shortened.ends_with("%~0123456789abcdef.txt"));
    // Never cut inside a %XX: what is left before the mark decodes as it was written.
    std::string stem = shortened.substr(0, shortened.find("%~"));
    CHECK(long_name.starts_with(stem));
    CHECK((stem.size() < 3 || stem[stem.size() - 1] == 'x' || stem[stem.size() - 3] == '%'));
}

TEST_CASE("native on a folding disk: no two records share a file, each renamed one reported",
          "[names][extract]")
{
    auto made = clashing_backup();
    FoldingOutputTree tree({});
    Run run = extract_to(tree, *made, OutputNames::Native, false);
    CHECK(run.count(finding_code::extract_not_written) == 0);
    CHECK(run.count(finding_code::extract_exists) == 0);
    check_every_record_whole(tree, run, *made);
    auto where = landing(run, *made);
    // The first in the index's order keeps its name; the other gets its fileID's start.
    std::string upper = where.at("HomeDomain/Library/SMS/SMS.db");
    std::string lower = where.at("HomeDomain/Library/SMS/sms.db");
    bool upper_first = upper == "HomeDomain/Library/SMS/SMS.db";
    CHECK((upper_first ? lower : upper) ==
          "HomeDomain/Library/SMS/" + std::string(upper_first ? "sms" : "SMS") + "%~" +
              file_id_of(*made, upper_first ? "Library/SMS/sms.db" : "Library/SMS/SMS.db")
                  .substr(0, 8) +
              ".db");
    CHECK((upper_first || lower == "HomeDomain/Library/SMS/sms.db"));
    // A folder that differs only in case is a distinct folder, with its files in it.
    CHECK((where.at("HomeDomain/Library/notes/todo.txt").find("%~") != std::string::npos) !=
          (where.at("HomeDomain/Library/Notes/CON.txt").find("%~") != std::string::npos));
    // This disk takes ':' and a trailing dot: native leaves them.
    CHECK(where.at("HomeDomain/Library/Notes/a:b.txt") == "HomeDomain/Library/Notes/a:b.txt");
    CHECK(where.at("HomeDomain/Library/Notes/draft.") == "HomeDomain/Library/Notes/draft.");
    CHECK(run.summary.renamed == run.count(finding_code::name_renamed));
    CHECK(run.summary.renamed >= 3);  // sms.db, one café, notes/ and todo.txt
}

TEST_CASE("native on a Windows-like disk escapes what it refuses", "[names][extract]")
{
    auto made = clashing_backup(IndexFormat::ManifestMbdb);
    FoldingOutputTree::Behaviour windows;
    windows.refuse_windows = true;
    FoldingOutputTree tree(windows);
    Run run = extract_to(tree, *made, OutputNames::Native, false);
    CHECK(run.count(finding_code::extract_not_written) == 0);
    check_every_record_whole(tree, run, *made);
    auto where = landing(run, *made);
    CHECK(where.at("HomeDomain/Library/Notes/a:b.txt") == "HomeDomain/Library/Notes/a%3Ab.txt");
    CHECK(where.at("HomeDomain/Library/Notes/draft.") == "HomeDomain/Library/Notes/draft%2E");
    CHECK(where.at("HomeDomain/Library/Notes/CON.txt") == "HomeDomain/Library/Notes/CO%4E.txt");
    for (const Finding& finding : run.findings) {
        if (finding.code == finding_code::name_renamed) CHECK(finding.severity == Severity::Info);
    }
}

TEST_CASE("portable on a Linux-like disk: names that would break elsewhere are already changed",
          "[names][extract]")
{
    auto made = clashing_backup();
    FoldingOutputTree::Behaviour linux_disk;
    linux_disk.fold = false;
    FoldingOutputTree tree(linux_disk);
    Run run = extract_to(tree, *made, OutputNames::Portable, false);
    check_every_record_whole(tree, run, *made);
    // Moved to a folding Windows disk later, nothing merges and nothing is refused.
    std::set<std::string> folded;
    NameRules portable = portable_name_rules();
    for (const auto& [name, bytes] : tree.entries()) {
        CHECK(folded.insert(fold_key(name, portable)).second);
        CHECK(name.find(':') == std::string::npos);
    }
    // Native there changes nothing (the disk takes every name).
    FoldingOutputTree native_tree(linux_disk);
    Run native = extract_to(native_tree, *made, OutputNames::Native, false);
    CHECK(native.summary.renamed == 0);
    check_every_record_whole(native_tree, native, *made);
}

TEST_CASE(
    "a second run keeps every name: without --overwrite nothing is replaced, with it each "
    "file only by itself",
    "[names][extract]")
{
    auto made = clashing_backup();
    for (bool stores_decomposed : {false, true}) {
        FoldingOutputTree::Behaviour behaviour;
        behaviour.stores_decomposed = stores_decomposed;
        FoldingOutputTree tree(behaviour);
        Run first = extract_to(tree, *made, OutputNames::Native, false);
        auto before = tree.entries();

        Run kept = extract_to(tree, *made, OutputNames::Native, false);
        CHECK(tree.entries() == before);
        CHECK(kept.summary.files == 0);
        CHECK(kept.count(finding_code::extract_exists) >= made->content.size());

        Run replaced = extract_to(tree, *made, OutputNames::Native, true);
        CHECK(tree.entries() == before);  // same names, each with its own record's content
        CHECK(replaced.summary.files == made->content.size());
        CHECK(tree.replacements() == static_cast<int>(made->content.size()));
        CHECK(landing(replaced, *made) == landing(first, *made));
    }
}

TEST_CASE("extract never gives one record's file to another with --overwrite, whatever ran before",
          "[names][extract]")
{
    auto made = clashing_backup();
    FoldingOutputTree tree({});
    // First only sms.db: alone, it keeps its name.
    RecordFilter only_lower;
    only_lower.file_id = file_id_of(*made, "Library/SMS/sms.db");
    Run first = extract_to(tree, *made, OutputNames::Native, true, only_lower);
    CHECK(first.summary.renamed == 0);
    CHECK(tree.entries().at("HomeDomain/Library/SMS/sms.db") ==
          made->content.at("HomeDomain/Library/SMS/sms.db"));

    // Then everything with --overwrite: SMS.db comes first in the index but may not take the file
    // sms.db wrote (the disk would open it for "SMS.db").
    Run all = extract_to(tree, *made, OutputNames::Native, true);
    auto where = landing(all, *made);
    CHECK(where.at("HomeDomain/Library/SMS/sms.db") == "HomeDomain/Library/SMS/sms.db");
    CHECK(where.at("HomeDomain/Library/SMS/SMS.db").starts_with("HomeDomain/Library/SMS/SMS%~"));
    check_every_record_whole(tree, all, *made);
}

TEST_CASE("two records with one domain and path: the second is not written over the first",
          "[names][extract]")
{
    auto made = clashing_backup();
    FileRecord twin;
    for (const FileRecord& record : made->index.records)
        if (record.relative_path == "Library/SMS/SMS.db") twin = record;
    made->index.records.push_back(twin);
    for (bool fold : {false, true}) {
        FoldingOutputTree disk({fold, false, false});
        Run run = extract_to(disk, *made, OutputNames::Native, true);
        CHECK(run.count(finding_code::extract_not_written) == 1);
        CHECK(disk.replacements() == 0);
        // Without --overwrite the disk itself refuses the second.
        FoldingOutputTree fresh({fold, false, false});
        Run kept = extract_to(fresh, *made, OutputNames::Native, false);
        CHECK(kept.count(finding_code::extract_exists) >= 1);
        CHECK(fresh.replacements() == 0);
        CHECK(fresh.entries().at("HomeDomain/Library/SMS/SMS.db") ==
              made->content.at("HomeDomain/Library/SMS/SMS.db"));
    }
}

TEST_CASE("export --names portable: the folder's own name is escaped, records keep their paths",
          "[names][export]")
{
    test::TempDir temp;
    testgen::BackupSpec spec;
    spec.file_count = 6;
    spec.clashing_names = true;
    spec.folder_name = "Old: iPhone";
    auto dir = testgen::write_backup(spec, temp.path());
    REQUIRE(dir);
    auto backup = open_backup(real_file_system(), *dir);
    REQUIRE(backup);
    FindingSink sink;
    auto index = load_backup_index(real_file_system(), *backup, nullptr, sink);
    REQUIRE(index);
    ExportOptions options;
    options.names = OutputNames::Portable;
    auto summary =
        export_backup(real_file_system(), *backup, *index, temp.path() / "out", options, sink);
    REQUIRE(summary);
    CHECK(summary->folder == temp.path() / "out" / "Old%3A iPhone");
    REQUIRE(sink.count(finding_code::name_renamed) == 1);
    for (const Finding& finding : sink.kept()) {
        if (finding.code == finding_code::name_renamed) {
            CHECK(finding.written_as == "Old%3A iPhone");
            CHECK(finding.path == "Old: iPhone");
        }
    }

    auto exported = open_backup(real_file_system(), summary->folder);
    REQUIRE(exported);
    auto exported_index = load_backup_index(real_file_system(), *exported, nullptr, sink);
    REQUIRE(exported_index);
    std::set<std::string> original, rebuilt;
    for (const FileRecord& record : index->records)
        original.insert(record.domain + "/" + record.relative_path);
    for (const FileRecord& record : exported_index->records)
        rebuilt.insert(record.domain + "/" + record.relative_path);
    CHECK(rebuilt == original);
    CHECK(rebuilt.count("HomeDomain/Library/SMS/SMS.db") == 1);
    CHECK(rebuilt.count("HomeDomain/Library/SMS/sms.db") == 1);

    // Native on this Linux disk: the name as it is (Windows takes no ':' in a name: escaped).
    ExportOptions native;
    auto again =
        export_backup(real_file_system(), *backup, *index, temp.path() / "out2", native, sink);
    REQUIRE(again);
#ifdef _WIN32
    CHECK(again->folder == temp.path() / "out2" / "Old%3A iPhone");
#else
    CHECK(again->folder == temp.path() / "out2" / "Old: iPhone");
#endif
}

TEST_CASE("export into a Windows-like disk: the folder escaped, every blob under its fileID",
          "[names][export]")
{
    auto made = clashing_backup(IndexFormat::ManifestDb, "Old: iPhone");
    FoldingOutputTree::Behaviour windows;
    windows.refuse_windows = true;
    FoldingOutputTree tree(windows);
    FindingSink sink;
    auto summary = export_into(tree, "/out", real_file_system(), made->backup,
                               IndexRecords(made->index), ExportOptions{}, sink);
    REQUIRE(summary);
    CHECK(summary->folder == fs::path("/out/Old%3A iPhone"));
    CHECK(sink.count(finding_code::name_renamed) == 1);
    auto entries = tree.entries();
    CHECK(entries.count("Old%3A iPhone/Manifest.db") == 1);
    CHECK(entries.count("Old%3A iPhone/Status.plist") == 1);
    // Both of each clashing pair are there, each with its own content: blobs are named by fileID.
    for (const FileRecord& record : made->index.records) {
        if (record.kind != FileKind::File) continue;
        std::string blob = "Old%3A iPhone/" + record.file_id.substr(0, 2) + "/" + record.file_id;
        INFO(record.relative_path);
        REQUIRE(entries.count(blob) == 1);
        CHECK(entries.at(blob) == made->content.at(record.domain + "/" + record.relative_path));
    }

    // A folder there that the disk takes for the export's: refused, nothing written into it.
    FoldingOutputTree taken(windows);
    REQUIRE(taken.make_directory({"OLD%3a IPHONE"}));
    FindingSink again;
    auto refused = export_into(taken, "/out", real_file_system(), made->backup,
                               IndexRecords(made->index), ExportOptions{}, again);
    REQUIRE(!refused);
    CHECK(refused.error().code == ErrorCode::InvalidArgument);
    CHECK(taken.entries().size() == 1);

    // Native on a disk that takes ':': the name as it is.
    FoldingOutputTree mac({});
    FindingSink mac_sink;
    auto as_is = export_into(mac, "/out", real_file_system(), made->backup,
                             IndexRecords(made->index), ExportOptions{}, mac_sink);
    REQUIRE(as_is);
    CHECK(as_is->folder == fs::path("/out/Old: iPhone"));
    CHECK(mac_sink.count(finding_code::name_renamed) == 0);
}

TEST_CASE("name.renamed carries written_as in findings JSON; other findings do not", "[names]")
{
    auto made = clashing_backup();
    FoldingOutputTree tree({});
    FindingSink sink(1000);
    ExtractOptions options;
    REQUIRE(extract_into(tree, real_file_system(), made->backup, IndexRecords(made->index), options,
                         sink));
    REQUIRE(sink.count(finding_code::name_renamed) > 0);
    VerifyResult result;
    std::string json = render_verify_json(made->backup, std::nullopt, result, sink);
    CHECK(json.find("\"written_as\": \"HomeDomain/Library/SMS/") != std::string::npos);
    auto count = [&](std::string_view text) {
        std::size_t total = 0;
        for (std::size_t at = json.find(text); at != std::string::npos;
             at = json.find(text, at + 1))
            ++total;
        return total;
    };
    CHECK(count("\"written_as\"") == sink.count(finding_code::name_renamed));
    CHECK(count("\"code\"") > count("\"written_as\""));  // extract.symlink_outside has none
}

TEST_CASE("probing this Linux disk: case- and form-sensitive, takes ':', leaves nothing behind",
          "[names]")
{
    test::TempDir temp;
    test::write_text(temp.path() / "kept.txt", "mine");
    auto tree = real_writable_file_system().open_output_tree(temp.path(), {});
    REQUIRE(tree);
    auto rules = probe_name_rules(**tree);
    REQUIRE(rules);
#ifdef _WIN32
    // NTFS (and Wine's drives): one name whatever its case, Windows' rules on names.
    CHECK(rules->fold_case);
    CHECK(rules->windows_names);
#else
    CHECK(!rules->fold_case);
    CHECK(!rules->fold_normalisation);
    CHECK(!rules->windows_names);
    CHECK(!rules->stores_decomposed);
#endif
    auto names = (*tree)->list_names({});
    REQUIRE(names);
    CHECK(*names == std::vector<std::string>{"kept.txt"});
    CHECK((*tree)->exists({"kept.txt"}));
#ifndef _WIN32
    CHECK(!(*tree)->exists({"KEPT.txt"}));
#endif
    auto missing = (*tree)->list_names({"no", "such"});
    REQUIRE(missing);
    CHECK(missing->empty());
    // Portable on the same disk: every rule, whatever the disk.
    auto portable = name_rules_for(**tree, OutputNames::Portable);
    REQUIRE(portable);
    CHECK((portable->fold_case && portable->fold_normalisation && portable->windows_names));
    REQUIRE((*tree)->remove_file({"kept.txt"}));
    CHECK(fs::is_empty(temp.path()));
}
