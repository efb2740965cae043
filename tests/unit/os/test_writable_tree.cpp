// WritableTree keeps every change inside its root by construction: plain relative paths only,
// walked from the root's descriptor without following links. Each case plants what a hostile backup
// could hold (a `..`, a link to a sibling folder, a link to a file outside) and checks that nothing
// outside the root changes.
#include "bkcheck/file_system.h"
#include "bkcheck/quarantine.h"
#include "quarantine_journal.h"

#include "support/backup_changes.h"
#include "support/symlinks.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

using namespace bkcheck;
using namespace bkcheck::test;

namespace {

// <temp>/root (the tree) and <temp>/outside/secret.txt beside it.
struct Sandbox {
    TempDir temp;
    fs::path root = temp.path() / "root";
    fs::path outside = temp.path() / "outside";
    std::unique_ptr<WritableTree> tree;

    Sandbox()
    {
        write_text(root / "backup" / "00" / "blob", "inside");
        write_text(outside / "secret.txt", "secret");
        auto opened = real_writable_file_system().open_tree(root);
        REQUIRE(opened);
        tree = std::move(*opened);
    }

    TreeSnapshot outside_now() const { return snapshot_tree(outside); }
};

}  // namespace

TEST_CASE("is_contained_path accepts plain relative paths only")
{
    CHECK(is_contained_path("a"));
    CHECK(is_contained_path("a/b.c/..d"));
    CHECK_FALSE(is_contained_path(""));
    CHECK_FALSE(is_contained_path("/etc/passwd"));
    CHECK_FALSE(is_contained_path(".."));
    CHECK_FALSE(is_contained_path("a/../../b"));
    CHECK_FALSE(is_contained_path("./a"));
    CHECK_FALSE(is_contained_path("a//b"));
    CHECK_FALSE(is_contained_path("a/"));
    CHECK_FALSE(is_contained_path(std::string("a\0b", 3)));
}

TEST_CASE("a WritableTree refuses paths that leave it, before touching the disk")
{
    Sandbox box;
    TreeSnapshot before = box.outside_now();
    for (const char* hostile :
         {"../outside/secret.txt", "backup/00/../../../outside/secret.txt", "/tmp/x", ""}) {
        INFO(hostile);
        Status moved = box.tree->rename(hostile, "backup/taken");
        REQUIRE_FALSE(moved);
        CHECK(moved.error().code == ErrorCode::InvalidArgument);
        CHECK_FALSE(box.tree->rename("backup/00/blob", hostile));
        CHECK_FALSE(box.tree->make_directories(hostile));
        CHECK_FALSE(box.tree->remove_all(hostile));
        CHECK_FALSE(box.tree->write_file_atomic(hostile, {}, FileAccess::Everyone));
        CHECK_FALSE(box.tree->identity_of(hostile));
    }
    CHECK(box.outside_now() == before);
    CHECK(fs::exists(box.root / "backup" / "00" / "blob"));
}

TEST_CASE("a WritableTree never walks through a link, and moves or deletes a link as a link")
{
    BKCHECK_SKIP_WITHOUT_SYMLINKS();
    Sandbox box;
    fs::create_directory_symlink(box.outside, box.root / "backup" / "3d");
    fs::create_symlink(box.outside / "secret.txt", box.root / "backup" / "00" / "link");
    TreeSnapshot before = box.outside_now();

    // Through the linked folder: refused, naming the link as the reason.
    Status through = box.tree->rename("backup/3d/secret.txt", "backup/taken");
    REQUIRE_FALSE(through);
    CHECK(through.error().message.find("link") != std::string::npos);
    CHECK_FALSE(box.tree->rename("backup/00/blob", "backup/3d/planted"));
    CHECK_FALSE(box.tree->make_directories("backup/3d/new"));
    CHECK_FALSE(box.tree->write_file_atomic("backup/3d/planted", {}, FileAccess::Everyone));
    CHECK_FALSE(box.tree->identity_of("backup/3d/secret.txt"));
    CHECK_FALSE(box.tree->remove_all("backup/3d/secret.txt"));
    CHECK(box.outside_now() == before);

    // The link itself is an entry of the tree: it moves as a link, and deleting it spares its
    // target.
    REQUIRE(box.tree->rename("backup/00/link", "moved-link"));
    CHECK(fs::is_symlink(box.root / "moved-link"));
    REQUIRE(box.tree->remove_all("backup"));
    CHECK_FALSE(fs::exists(box.root / "backup"));
    CHECK(box.outside_now() == before);
}

TEST_CASE(
    "apply_plan refuses a plan that would change anything outside the backups, changing nothing")
{
    Sandbox box;
    TreeSnapshot root_before = snapshot_tree(box.root);
    TreeSnapshot before = box.outside_now();
    for (const char* hostile :
         {"../outside/secret.txt", "backup/../../outside/secret.txt", ".bkcheck-quarantine/x"}) {
        INFO(hostile);
        Plan plan;
        plan.root = box.root;
        plan.verb = "repair";
        plan.actions.push_back({"remove_damaged_blobs",
                                "backup",
                                "test",
                                7,
                                {},
                                {{ChangeKind::Remove, hostile, {}, {}}}});
        auto run =
            apply_plan(real_file_system(), real_writable_file_system(), plan, {later_now(), "t"});
        REQUIRE_FALSE(run);
        CHECK(run.error().code == ErrorCode::InvalidArgument);
    }
    CHECK(box.outside_now() == before);
    CHECK(snapshot_tree(box.root) == root_before);
}

TEST_CASE(
    "a journal whose steps leave the root is refused, so undo cannot be made to move files "
    "elsewhere")
{
    RunJournal journal;
    journal.id = "20261205-000000-repair-t";
    journal.verb = "repair";
    journal.state = RunState::Applied;
    for (const char* hostile : {"../outside/secret.txt", "/etc/passwd", "a/./b", "a/.."}) {
        INFO(hostile);
        journal.steps = {{hostile, ".bkcheck-quarantine/run/removed/x", {1, 2}}};
        auto parsed = parse_journal(serialize_journal(journal), "journal.plist");
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == ErrorCode::Corrupt);
    }
}
