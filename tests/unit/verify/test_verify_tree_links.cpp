// Links inside a backup (issue 18, point 2): a blob folder or a blob that is a symlink, typically
// to the same folder of a sibling backup of the same device. verify reports each as blob.link,
// counts the records whose content is behind it instead of calling them missing, and reads nothing
// behind it; repair and prune change nothing through or out of a link, so the sibling stays
// untouched.
#include "bkcheck/doctor.h"
#include "bkcheck/prune.h"
#include "bkcheck/repair.h"
#include "bkcheck/report.h"
#include "bytes.h"

#include "support/backup_changes.h"
#include "support/symlinks.h"
#include "support/temp_dir.h"
#include "verify_steps.h"

#include <algorithm>
#include <map>

using namespace bkcheck;
using namespace bkcheck::test;
using testgen::Damage;

namespace {

// Sees symlinks the way a listing made before they appeared would: a link to a folder is listed as
// a folder and a link to a file as a file (everything else passes through). Stands for a disk that
// changed between verify and planning, which repair and prune must survive by asking again.
class LinkBlindVolume final : public FileSystem {
public:
    Result<FileStat> stat(const fs::path& path) const override { return real().stat(path); }
    Result<std::vector<DirEntry>> list(const fs::path& dir) const override
    {
        auto entries = real().list(dir);
        if (!entries) return entries;
        for (DirEntry& entry : *entries) {
            if (entry.type != EntryType::Symlink) continue;
            if (auto target = real().stat(dir / entry.name)) entry.type = target->type;
        }
        return entries;
    }
    Result<Bytes> read_file(const fs::path& path, std::uint64_t max_size) const override
    {
        return real().read_file(path, max_size);
    }
    Result<std::unique_ptr<SequentialReader>> open_read(const fs::path& path) const override
    {
        return real().open_read(path);
    }
    Result<std::uint64_t> free_space(const fs::path& path) const override
    {
        return real().free_space(path);
    }
    Result<std::string> read_link(const fs::path& path) const override
    {
        return real().read_link(path);
    }

private:
    static const FileSystem& real() { return real_file_system(); }
};

// Two backups of one device in one folder: A (named by the UDID) and B, an archived copy of it.
struct Siblings {
    TempDir temp;
    fs::path a, b;

    explicit Siblings(IndexFormat format = IndexFormat::ManifestDb,
                      std::vector<Damage> damages_of_a = {})
    {
        testgen::BackupSpec spec;
        spec.format = format;
        spec.file_count = 40;
        spec.udid = format == IndexFormat::ManifestDb ? "00008030-001A35E11A88802E"
                                                      : "3140c4b7d3e6bc3df24ab1fb07139f86bef32641";
        spec.folder_name = spec.udid + "-20240101-120000";
        auto written_b = testgen::write_backup(spec, temp.path());
        REQUIRE(written_b);
        b = *written_b;
        spec.folder_name.clear();
        spec.damages = std::move(damages_of_a);
        auto written_a = testgen::write_backup(spec, temp.path());
        REQUIRE(written_a);
        a = *written_a;
    }

    // Replaces A's blob folder `folder` by a link to B's (relative, as a user would make it); the
    // number of blobs A had there.
    std::size_t link_folder(const std::string& folder)
    {
        std::size_t blobs =
            !fs::exists(a / folder)
                ? 0
                : static_cast<std::size_t>(
                      std::distance(fs::directory_iterator(a / folder), fs::directory_iterator()));
        fs::remove_all(a / folder);
        fs::create_directory_symlink(fs::path("..") / b.filename() / folder, a / folder);
        return blobs;
    }

    // A's first `count` blob folders, by name.
    std::vector<std::string> blob_folders(std::size_t count) const
    {
        std::vector<std::string> folders;
        for (const auto& entry : fs::directory_iterator(a)) {
            std::string name = entry.path().filename().string();
            if (entry.is_directory() && is_blob_folder_name(name)) folders.push_back(name);
        }
        std::sort(folders.begin(), folders.end());
        folders.resize(std::min(folders.size(), count));
        return folders;
    }
};

struct Verified {
    VerifyResult result;
    std::vector<Finding> findings;
    std::map<std::string, std::size_t> totals;

    std::vector<const Finding*> of(const std::string& code) const
    {
        std::vector<const Finding*> found;
        for (const Finding& finding : findings) {
            if (finding.code == code) found.push_back(&finding);
        }
        return found;
    }
    std::size_t count(const std::string& code) const
    {
        return totals.count(code) ? totals.at(code) : 0;
    }
};

Verified verify(const fs::path& dir, bool read_data = true,
                const FileSystem& file_system = real_file_system())
{
    auto backup = open_backup(file_system, dir);
    REQUIRE(backup);
    FindingSink sink(std::numeric_limits<std::size_t>::max());
    VerifyOptions options;
    options.read_data = read_data;
    options.threads = 2;
    auto result = verify_backup(file_system, *backup, options, sink);
    REQUIRE(result);
    return {*result, sink.kept(), sink.totals()};
}

bool mentions(const std::vector<std::string>& lines, const std::string& text)
{
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& line) {
        return line.find(text) != std::string::npos;
    });
}

// Every path a plan would move, write or move to.
std::vector<std::string> touched(const Plan& plan)
{
    std::vector<std::string> paths;
    for (const Action& action : plan.actions) {
        for (const Change& change : action.changes) {
            paths.push_back(change.path.generic_string());
            if (!change.to.empty()) paths.push_back(change.to.generic_string());
        }
    }
    return paths;
}

// Applies `plan` (when it has actions), checks `unchanged` stayed byte for byte, and undoes the
// run.
void apply_and_undo(const FileSystem& file_system, const Plan& plan, const fs::path& unchanged)
{
    if (plan.empty()) return;
    TreeSnapshot before = snapshot_tree(unchanged);
    auto run = apply_plan(file_system, real_writable_file_system(), plan, {later_now(), "t"});
    REQUIRE(run);
    CHECK(snapshot_tree(unchanged) == before);
    require_undo(plan.root, run->id);
    CHECK(snapshot_tree(unchanged) == before);
}

// A two-hex folder name neither backup has.
std::string absent_folder(const Siblings& siblings)
{
    for (int i = 255; i >= 0; --i) {
        std::string name = to_hex(Bytes{static_cast<std::uint8_t>(i)});
        if (!fs::exists(siblings.a / name) && !fs::exists(siblings.b / name)) return name;
    }
    FAIL("every blob folder name is taken");
    return {};
}

}  // namespace

TEST_CASE(
    "verify: linked blob folders are blob.link, and the records behind them are counted, not "
    "missing",
    "[links]")
{
    BKCHECK_SKIP_WITHOUT_SYMLINKS();
    Siblings siblings;
    std::vector<std::string> folders = siblings.blob_folders(3);
    REQUIRE(folders.size() == 3);
    std::map<std::string, std::size_t> behind;
    std::size_t total_behind = 0;
    for (const std::string& folder : folders)
        total_behind += behind[folder] = siblings.link_folder(folder);
    Verified healthy_b = verify(siblings.b);
    REQUIRE(healthy_b.result.verdict == Verdict::Ok);

    Verified v = verify(siblings.a);
    CHECK(v.result.verdict == Verdict::Damaged);
    CHECK(v.count("blob.link") == 3);
    CHECK(v.count("blob.missing") == 0);
    CHECK(v.count("orphan.entry") == 0);
    CHECK(v.count("orphan.blob") == 0);
    for (const Finding* finding : v.of("blob.link")) {
        CAPTURE(finding->message);
        CHECK(finding->severity == Severity::Error);
        REQUIRE(behind.count(finding->path) == 1);
        std::string target = "../" + siblings.b.filename().string() + "/" + finding->path;
        CHECK(finding->message.find("symbolic link to \"" + target + "\"") != std::string::npos);
        std::size_t count = behind[finding->path];
        CHECK(finding->message.find(
                  std::to_string(count) + (count == 1 ? " index entry's" : " index entries'") +
                  " content is behind this link and was not checked") != std::string::npos);
    }
    // Nothing behind a link counts as checked or read.
    CHECK(v.result.counts.blobs_checked == healthy_b.result.counts.blobs_checked - total_behind);
    CHECK(v.result.counts.blobs_read == v.result.counts.blobs_checked);
    CHECK(v.result.counts.bytes_read < healthy_b.result.counts.bytes_read);
}

TEST_CASE("verify: a blob that is a link, in a blob folder or flat (mbdb), is blob.link", "[links]")
{
    BKCHECK_SKIP_WITHOUT_SYMLINKS();
    for (IndexFormat format : {IndexFormat::ManifestDb, IndexFormat::ManifestMbdb}) {
        DYNAMIC_SECTION((format == IndexFormat::ManifestDb ? "Manifest.db" : "Manifest.mbdb"))
        {
            Siblings siblings(format);
            // The first blob of A (any of its files would do).
            fs::path blob;
            for (const auto& entry : fs::recursive_directory_iterator(siblings.a)) {
                if (entry.is_regular_file() && is_file_id(entry.path().filename().string())) {
                    blob = fs::relative(entry.path(), siblings.a);
                    break;
                }
            }
            REQUIRE_FALSE(blob.empty());
            CHECK((format == IndexFormat::ManifestMbdb) == (blob.parent_path().empty()));
            fs::remove(siblings.a / blob);
            fs::create_symlink(siblings.b / blob, siblings.a / blob);  // absolute, this time

            Verified v = verify(siblings.a);
            CHECK(v.result.verdict == Verdict::Damaged);
            REQUIRE(v.count("blob.link") == 1);
            const Finding& link = *v.of("blob.link").front();
            CHECK(link.path == blob.generic_string());
            CHECK(link.message.find("the blob is a symbolic link to \"" +
                                    (siblings.b / blob).string() + "\"") != std::string::npos);
            CHECK(link.message.find("1 index entry's content is behind this link") !=
                  std::string::npos);
            CHECK(v.count("blob.missing") == 0);
            CHECK(v.count("orphan.entry") == 0);
        }
    }
}

TEST_CASE("verify: a link whose index cannot be read says so instead of a count", "[links]")
{
    BKCHECK_SKIP_WITHOUT_SYMLINKS();
    TempDir temp;
    testgen::BackupSpec spec;
    spec.encrypted = true;
    spec.file_count = 12;
    auto dir = testgen::write_backup(spec, temp.path());
    REQUIRE(dir);
    for (const char* name : {"fe", "ff"}) fs::remove_all(*dir / name);
    fs::create_directory_symlink("/nonexistent/elsewhere",
                                 *dir / "ff");  // dangling is still a link
    fs::create_directory_symlink("fe\x1b[31m\xe2\x80\xae", *dir / "fe");  // shown escaped
    Verified v = verify(*dir, false);  // no password: the index is not read
    REQUIRE(v.count("blob.link") == 2);
    for (const Finding* finding : v.of("blob.link")) {
        CHECK(finding->message.find("(the index could not be read) were not checked") !=
              std::string::npos);
    }
    CHECK(terminal_safe(v.of("blob.link")[0]->message).find("to \"fe\\x1b[31m\\u202e\"") !=
          std::string::npos);
    CHECK(v.of("blob.link")[1]->message.find("to \"/nonexistent/elsewhere\"") != std::string::npos);
}

TEST_CASE("shown_link_target caps the length; the message is escaped where it is printed",
          "[links]")
{
    using detail::shown_link_target;
    CHECK(shown_link_target("../B/00") == "../B/00");
    CHECK(shown_link_target("a\nb") ==
          "a\nb");  // kept exact: terminal_safe escapes it on the terminal
    CHECK(terminal_safe(shown_link_target("x\xe2\x80\xaey\xc2\x9b\x1b")) ==
          "x\\u202ey\\u009b\\x1b");
    std::string shown = shown_link_target(std::string(5000, 'a'));
    CHECK(shown == std::string(200, 'a') + "... (5000 bytes)");
}

TEST_CASE("read_link reads a link's own target and refuses what is not a link", "[links]")
{
    BKCHECK_SKIP_WITHOUT_SYMLINKS();
    TempDir temp;
    write_text(temp.path() / "file", "x");
    fs::create_symlink("file", temp.path() / "link");
    fs::create_symlink("missing", temp.path() / "dangling");
    const FileSystem& disk = real_file_system();
    CHECK(disk.read_link(temp.path() / "link").value() == "file");
    CHECK(disk.read_link(temp.path() / "dangling").value() == "missing");
    auto not_link = disk.read_link(temp.path() / "file");
    REQUIRE_FALSE(not_link);
    CHECK(not_link.error().code == ErrorCode::Io);
    auto absent = disk.read_link(temp.path() / "absent");
    REQUIRE_FALSE(absent);
    CHECK(absent.error().code == ErrorCode::NotFound);
}

TEST_CASE(
    "repair: the links and the records behind them are left alone, and the sibling is untouched",
    "[links][repair]")
{
    BKCHECK_SKIP_WITHOUT_SYMLINKS();
    // A also has a missing blob in a real folder, which repair still repairs.
    Siblings siblings(IndexFormat::ManifestDb, {Damage::BlobMissing});
    Verified damaged = verify(siblings.a);
    REQUIRE(damaged.count("blob.missing") == 1);
    std::string missing_folder = damaged.of("blob.missing").front()->file_id.substr(0, 2);
    std::vector<std::string> linked;
    for (const std::string& folder : siblings.blob_folders(5)) {
        if (folder != missing_folder && linked.size() < 3) {
            siblings.link_folder(folder);
            linked.push_back(folder);
        }
    }
    REQUIRE(linked.size() == 3);
    TreeSnapshot sibling_before = snapshot_tree(siblings.b);

    auto backup = open_backup(real_file_system(), siblings.a);
    REQUIRE(backup);
    RepairOptions options;
    options.now = later_now();
    auto assessment = plan_repair(real_file_system(), *backup, options);
    REQUIRE(assessment);
    const Plan& plan = assessment->plan;
    for (const std::string& path : touched(plan)) {
        for (const std::string& folder : linked) {
            CHECK(path.rfind(siblings.a.filename().string() + "/" + folder, 0) != 0);
        }
    }
    for (const std::string& folder : linked)
        CHECK(mentions(plan.left_alone, "blob.link: " + folder + " is a symbolic link"));
    REQUIRE_FALSE(plan.empty());  // the drop of the missing blob's record

    auto run =
        apply_plan(real_file_system(), real_writable_file_system(), plan, {options.now, "t"});
    REQUIRE(run);
    CHECK(snapshot_tree(siblings.b) == sibling_before);
    CHECK(verify(siblings.b).result.verdict == Verdict::Ok);
    for (const std::string& folder : linked) CHECK(fs::is_symlink(siblings.a / folder));
    Verified after = verify(siblings.a);
    CHECK(after.count("blob.missing") == 0);
    CHECK(after.count("blob.link") == 3);
    require_undo(siblings.temp.path(), run->id);
    CHECK(snapshot_tree(siblings.b) == sibling_before);
}

TEST_CASE("repair: a record dropped for another reason keeps its blob when that is behind a link",
          "[links][repair]")
{
    BKCHECK_SKIP_WITHOUT_SYMLINKS();
    Siblings siblings(IndexFormat::ManifestDb, {Damage::ModeTypeMissing});
    Verified damaged = verify(siblings.a);
    REQUIRE(damaged.count("record.mode_type_missing") == 1);
    std::string file_id = damaged.of("record.mode_type_missing").front()->file_id;
    std::string folder = file_id.substr(0, 2);
    siblings.link_folder(folder);
    TreeSnapshot sibling_before = snapshot_tree(siblings.b);

    auto backup = open_backup(real_file_system(), siblings.a);
    REQUIRE(backup);
    RepairOptions options;
    options.now = later_now();
    auto assessment = plan_repair(real_file_system(), *backup, options);
    REQUIRE(assessment);
    const Plan& plan = assessment->plan;
    std::vector<std::string> paths = touched(plan);
    CHECK(std::find(paths.begin(), paths.end(),
                    siblings.a.filename().string() + "/" + folder + "/" + file_id) == paths.end());
    CHECK(mentions(plan.left_alone, folder + "/" + file_id + " is not moved to quarantine: " +
                                        folder + " is a symbolic link"));
    auto run =
        apply_plan(real_file_system(), real_writable_file_system(), plan, {options.now, "t"});
    REQUIRE(run);
    CHECK(snapshot_tree(siblings.b) == sibling_before);
    CHECK(fs::is_regular_file(siblings.b / folder / file_id));
}

TEST_CASE("repair: a misplaced blob is never moved into or out of a link", "[links][repair]")
{
    BKCHECK_SKIP_WITHOUT_SYMLINKS();
    Siblings siblings(IndexFormat::ManifestDb, {Damage::BlobMisplaced});
    Verified damaged = verify(siblings.a);
    REQUIRE(damaged.count("blob.misplaced") == 1);
    std::string file_id = damaged.of("blob.misplaced").front()->file_id;
    std::string right = file_id.substr(0, 2);
    std::string wrong;  // the folder the generator moved it to
    for (const auto& entry : fs::directory_iterator(siblings.a)) {
        if (fs::exists(entry.path() / file_id)) wrong = entry.path().filename().string();
    }
    REQUIRE_FALSE(wrong.empty());
    std::string a_name = siblings.a.filename().string();

    SECTION("into: its right folder is a link to the sibling's, which lacks it")
    {
        fs::remove(siblings.b / right / file_id);
        fs::create_directories(siblings.b /
                               right);  // the link is not dangling (it may be the blob's only file)
        siblings.link_folder(right);
        TreeSnapshot sibling_before = snapshot_tree(siblings.b);
        Verified v = verify(siblings.a);
        CHECK(v.count("blob.link") == 1);
        CHECK(v.count("blob.misplaced") == 0);  // its place is behind the link: not looked at
        CHECK(v.count("blob.missing") == 0);

        // Whether verify saw the link (real disk) or not (a listing that predates it), nothing
        // moves.
        LinkBlindVolume blind;
        for (const FileSystem* file_system :
             {&real_file_system(), static_cast<const FileSystem*>(&blind)}) {
            auto backup = open_backup(*file_system, siblings.a);
            REQUIRE(backup);
            RepairOptions options;
            options.now = later_now();
            auto assessment = plan_repair(*file_system, *backup, options);
            REQUIRE(assessment);
            for (const Action& action : assessment->plan.actions)
                CHECK(action.kind != "move_misplaced_blob");
            for (const std::string& path : touched(assessment->plan))
                CHECK(path.rfind(a_name + "/" + right, 0) != 0);
            if (file_system == &blind) {
                CHECK(mentions(assessment->plan.left_alone, "is not moved to " + right + "/" +
                                                                file_id + ": " + right +
                                                                " is a symbolic link"));
            }
            apply_and_undo(*file_system, assessment->plan, siblings.b);
            CHECK(snapshot_tree(siblings.b) == sibling_before);
            CHECK(fs::is_regular_file(siblings.a / wrong / file_id));
        }
    }

    SECTION("out of: the only copy outside its folder is behind a link")
    {
        // A's stray copy goes; the sibling's `wrong` folder gets one, and A links to that folder.
        fs::create_directories(siblings.b / wrong);
        fs::copy_file(siblings.a / wrong / file_id, siblings.b / wrong / file_id);
        siblings.link_folder(wrong);
        TreeSnapshot sibling_before = snapshot_tree(siblings.b);
        LinkBlindVolume
            blind;  // verify lists the linked folder as A's, so it sees the stray copy there
        Verified v = verify(siblings.a, true, blind);
        REQUIRE(v.count("blob.misplaced") == 1);
        auto backup = open_backup(blind, siblings.a);
        REQUIRE(backup);
        RepairOptions options;
        options.now = later_now();
        auto assessment = plan_repair(blind, *backup, options);
        REQUIRE(assessment);
        for (const Action& action : assessment->plan.actions)
            CHECK(action.kind != "move_misplaced_blob");
        for (const std::string& path : touched(assessment->plan))
            CHECK(path.rfind(a_name + "/" + wrong, 0) != 0);
        apply_and_undo(blind, assessment->plan, siblings.b);
        CHECK(snapshot_tree(siblings.b) == sibling_before);
    }
}

TEST_CASE(
    "prune: nothing is moved through a link, and a linked empty folder is not an empty folder",
    "[links][prune]")
{
    BKCHECK_SKIP_WITHOUT_SYMLINKS();
    Siblings siblings;
    std::vector<std::string> folders = siblings.blob_folders(2);
    REQUIRE(folders.size() == 2);
    // An orphan in the sibling's folder, and an empty folder in the sibling, both linked from A.
    std::string orphan = folders[0] + std::string(38, '0');
    write_text(siblings.b / folders[0] / orphan, "not indexed");
    siblings.link_folder(folders[0]);
    siblings.link_folder(folders[1]);
    std::string empty = absent_folder(siblings);
    fs::create_directory(siblings.b / empty);
    fs::create_directory_symlink(fs::path("..") / siblings.b.filename() / empty,
                                 siblings.a / empty);
    TreeSnapshot sibling_before = snapshot_tree(siblings.b);

    LinkBlindVolume blind;
    for (const FileSystem* file_system :
         {&real_file_system(), static_cast<const FileSystem*>(&blind)}) {
        auto a = open_backup(*file_system, siblings.a);
        REQUIRE(a);
        PruneOptions options;
        options.now = later_now();
        auto plan = plan_prune(*file_system, siblings.temp.path(), {*a}, options);
        REQUIRE(plan);
        std::string a_name = siblings.a.filename().string();
        for (const std::string& path : touched(*plan)) {
            for (const std::string& folder : {folders[0], folders[1], empty}) {
                CHECK(path.rfind(a_name + "/" + folder, 0) != 0);
            }
        }
        if (file_system == &real_file_system()) {
            CHECK(
                mentions(plan->left_alone, a_name + "/" + empty + ": a symbolic link (blob.link)"));
        } else {
            CHECK(mentions(plan->left_alone,
                           a_name + "/" + folders[0] + "/" + orphan + ": not moved"));
        }
        apply_and_undo(*file_system, *plan, siblings.b);
        CHECK(snapshot_tree(siblings.b) == sibling_before);
    }
}

TEST_CASE("doctor: a backup with blob.link is damaged, and the fix says what to do with the link",
          "[links][doctor]")
{
    BKCHECK_SKIP_WITHOUT_SYMLINKS();
    Siblings siblings;
    siblings.link_folder(siblings.blob_folders(1).front());
    DoctorOptions options;
    options.now = 1'900'000'000;
    options.threads = 1;
    auto report = diagnose(real_file_system(), {siblings.a}, options);
    REQUIRE(report);
    CHECK(report->problems());
    auto damaged = std::find_if(report->diagnoses.begin(), report->diagnoses.end(),
                                [](const Diagnosis& d) { return d.code == "backup.damaged"; });
    REQUIRE(damaged != report->diagnoses.end());
    CHECK(damaged->evidence.find("1 x blob.link") != std::string::npos);
    CHECK(damaged->fix.find("no bkcheck command changes a link") != std::string::npos);
    CHECK(damaged->fix.find("bkcheck verify " + siblings.a.string() + " again") !=
          std::string::npos);
    CHECK(damaged->fix.find("bkcheck repair") == std::string::npos);  // repair would not touch it
}
