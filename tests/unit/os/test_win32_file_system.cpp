// The Windows OS layer (src/os/win32_*.cpp), run under Wine in CI and on Windows itself: names in
// UTF-8 inside and UTF-16 at the OS, long paths, identities that survive a rename, renames that
// never replace, reparse points never followed. Compiled for Windows only
// (cmake/bkcheck_platform_sources.cmake).
#include "bkcheck/file_system.h"
#include "bkcheck/path_text.h"
#include "output_path.h"
#include "output_tree.h"
#include "resolved_path.h"
#include "win32_path.h"

#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <cctype>

#include <windows.h>
// After windows.h, which it needs.
#include <sddl.h>

using namespace bkcheck;
using namespace bkcheck::test;

namespace {

std::string read_text(const fs::path& path)
{
    auto bytes = real_file_system().read_file(path, 1 << 20);
    REQUIRE(bytes);
    return std::string(bytes->begin(), bytes->end());
}

std::unique_ptr<WritableTree> open_tree(const fs::path& root)
{
    auto tree = real_writable_file_system().open_tree(root);
    REQUIRE(tree);
    return std::move(*tree);
}

void write(WritableTree& tree, const fs::path& relative, std::string_view text)
{
    if (relative.has_parent_path()) {
        auto made = tree.make_directories(relative.parent_path());
        INFO((made ? std::string() : made.error().describe()));
        REQUIRE(made);
    }
    REQUIRE(tree.write_file_atomic(relative, as_bytes(text), FileAccess::Everyone));
}

}  // namespace

TEST_CASE("Windows: a file keeps its identity across a rename, and two files differ", "[os][win32]")
{
    TempDir temp;
    auto tree = open_tree(temp.path());
    write(*tree, "a/one", "1");
    write(*tree, "a/two", "2");
    auto one = tree->identity_of("a/one");
    auto two = tree->identity_of("a/two");
    REQUIRE(one);
    REQUIRE(two);
    CHECK(*one != *two);
    REQUIRE(tree->make_directories("q/run"));
    REQUIRE(tree->rename("a/one", "q/run/one"));
    CHECK_FALSE(tree->entry_exists("a/one"));
    CHECK(tree->identity_of("q/run/one") == one);
    // A folder too: quarantine moves whole backups.
    auto folder = tree->identity_of("a");
    REQUIRE(tree->rename("a", "q/run/a"));
    CHECK(tree->identity_of("q/run/a") == folder);
}

TEST_CASE("Windows: a rename never replaces, and a replace by write_file_atomic is whole",
          "[os][win32]")
{
    TempDir temp;
    auto tree = open_tree(temp.path());
    write(*tree, "from", "moving");
    write(*tree, "to", "kept");
    auto refused = tree->rename("from", "to");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("File exists") != std::string::npos);
    CHECK(read_text(temp.path() / "from") == "moving");
    CHECK(read_text(temp.path() / "to") == "kept");
    // The atomic write is the one operation that replaces, and leaves no temporary behind.
    write(*tree, "to", "replaced");
    CHECK(read_text(temp.path() / "to") == "replaced");
    auto names = real_file_system().list(temp.path());
    REQUIRE(names);
    CHECK(names->size() == 2);
}

TEST_CASE("Windows: names are UTF-8 inside and the real characters on the disk", "[os][win32]")
{
    TempDir temp;
    auto tree = open_tree(temp.path());
    const std::string name = "caf\xc3\xa9-\xe6\x97\xa5\xe6\x9c\xac.txt";  // café-日本.txt
    write(*tree, fs::path(name), "utf8");
    auto names = real_file_system().list(temp.path());
    REQUIRE(names);
    REQUIRE(names->size() == 1);
    CHECK(names->front().name == name);
    CHECK(read_text(temp.path() / name) == "utf8");
    // What Windows itself holds: the UTF-16 of those characters, not one character per byte.
    std::wstring wide = detail::long_path(temp.path()) + L"\\caf\u00e9-\u65e5\u672c.txt";
    CHECK(::GetFileAttributesW(wide.c_str()) != INVALID_FILE_ATTRIBUTES);
}

TEST_CASE("Windows: a message names a path past ASCII in UTF-8, as it was typed", "[os][win32]")
{
    TempDir temp;
    const std::string jose = "Jos\xc3\xa9";
    auto missing = real_file_system().read_file(temp.path() / jose / "Info.plist", 1 << 20);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().path == path_text(temp.path()) + "\\" + jose + "\\Info.plist");
    CHECK(missing.error().describe().find("Jos\xc3\x83\xc2\xa9") == std::string::npos);  // "JosÃ©"
}

TEST_CASE("Windows: a path completed with a current folder past ASCII is one text", "[os][win32]")
{
    TempDir temp;
    const std::string jose = "Jos\xc3\xa9";
    auto tree = open_tree(temp.path());
    write(*tree, fs::path(jose) / "caf\xc3\xa9", "x");
    // The OS answers the current folder in real UTF-16; bkcheck appends its own UTF-8 names.
    const std::wstring previous = fs::current_path().native();
    REQUIRE(::SetCurrentDirectoryW((detail::long_path(temp.path()) + L"\\Jos\u00e9").c_str()));
    std::error_code error;
    fs::path absolute = absolute_path(fs::path("caf\xc3\xa9"), error);
    ::SetCurrentDirectoryW(previous.c_str());
    REQUIRE_FALSE(error);
    CHECK(path_text(absolute) == path_text(temp.path()) + "\\" + jose + "\\caf\xc3\xa9");
    CHECK(read_text(absolute) == "x");
}

TEST_CASE("Windows: folder_access allows this user's own folder and refuses one denying it",
          "[os][win32]")
{
    TempDir temp;
    FolderAccess own = real_file_system().folder_access(temp.path());
    CHECK(own.may_change);
    CHECK_FALSE(own.read_only_volume);
    // A folder whose ACL denies everyone adding files and folders, as a folder of another user or
    // of an administrator can: what AccessCheck answers is what a move into it would meet.
    auto tree = open_tree(temp.path());
    REQUIRE(tree->make_directories("locked"));
    PSECURITY_DESCRIPTOR denying = nullptr;
    REQUIRE(::ConvertStringSecurityDescriptorToSecurityDescriptorW(
        L"D:P(D;;0x6;;;WD)(A;OICI;FA;;;WD)", SDDL_REVISION_1, &denying, nullptr));
    std::wstring locked = detail::long_path(temp.path() / "locked");
    BOOL set = ::SetFileSecurityW(locked.c_str(), DACL_SECURITY_INFORMATION, denying);
    ::LocalFree(denying);
    REQUIRE(set);
    CHECK_FALSE(real_file_system().folder_access(temp.path() / "locked").may_change);
}

TEST_CASE("Windows: an output folder inside a backup spelt in another case is refused",
          "[os][win32]")
{
    TempDir temp;
    auto tree = open_tree(temp.path());
    write(*tree, "Backup/Manifest.plist", "x");
    std::string spelt = path_text(temp.path() / "Backup" / "out");
    for (char& c : spelt) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(check_output_outside_backup(real_file_system(), temp.path() / "elsewhere",
                                      temp.path() / "Backup"));
    auto inside = check_output_outside_backup(real_file_system(), fs::path(spelt),
                                              temp.path() / "Backup");
    REQUIRE_FALSE(inside);
    CHECK(inside.error().message.find("inside the backup") != std::string::npos);
}

TEST_CASE("Windows: paths longer than MAX_PATH are written and read", "[os][win32]")
{
    TempDir temp;
    auto tree = open_tree(temp.path());
    fs::path deep;
    for (int i = 0; i < 12; ++i) deep /= std::string(40, static_cast<char>('a' + i));
    REQUIRE((temp.path() / deep).string().size() > 500);
    write(*tree, deep / "Manifest.db", "deep");
    CHECK(read_text(temp.path() / deep / "Manifest.db") == "deep");
    auto stat = real_file_system().stat(temp.path() / deep / "Manifest.db");
    REQUIRE(stat);
    CHECK(stat->type == EntryType::File);
    CHECK(stat->size == 4);
    REQUIRE(tree->remove_all(fs::path(std::string(40, 'a'))));
    CHECK_FALSE(real_file_system().exists(temp.path() / std::string(40, 'a')));
}

TEST_CASE("Windows: paths a folder cannot hold are refused before the disk is touched",
          "[os][win32]")
{
    for (const char* hostile : {"a:b", "C:x", "a\\..\\b", "..\\x", "\\x", "a\\\\b"})
        CHECK_FALSE(is_contained_path(hostile));
    CHECK(is_contained_path("a\\b"));
    CHECK(is_contained_path("Backup/00/0011"));
}

TEST_CASE("Windows: a second lock on the quarantine is refused as in use", "[os][win32]")
{
    TempDir temp;
    auto tree = open_tree(temp.path());
    auto first = tree->try_lock("lock");
    REQUIRE(first);
    auto other = open_tree(temp.path());
    auto second = other->try_lock("lock");
    REQUIRE_FALSE(second);
    CHECK(second.error().code == ErrorCode::InUse);
    first->reset();
    CHECK(other->try_lock("lock"));
}

TEST_CASE("Windows: a link or junction inside the tree is never walked through", "[os][win32]")
{
    TempDir temp;
    write_text(temp.path() / "outside" / "secret.txt", "secret");
    write_text(temp.path() / "root" / "x", "x");
    std::wstring link = detail::long_path(temp.path() / "root" / "link");
    std::wstring target = detail::long_path(temp.path() / "outside");
    if (!::CreateSymbolicLinkW(
            link.c_str(), target.c_str(),
            SYMBOLIC_LINK_FLAG_DIRECTORY | SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE)) {
        WARN("this Windows (or Wine) cannot create a symbolic link here: case not run");
        return;
    }
    if (!real_file_system().exists(temp.path() / "root" / "link" / "secret.txt")) {
        WARN("the link was created but does not lead to its target (Wine 8): case not run");
        return;
    }
    auto tree = open_tree(temp.path() / "root");
    auto written =
        tree->write_file_atomic("link/secret.txt", as_bytes("changed"), FileAccess::Everyone);
    REQUIRE_FALSE(written);
    INFO(written.error().describe());
    CHECK(written.error().message.find("a link is on the way") != std::string::npos);
    CHECK_FALSE(tree->rename("link/secret.txt", "x2"));
    CHECK_FALSE(tree->make_directories("link/new"));
    CHECK(read_text(temp.path() / "outside" / "secret.txt") == "secret");
    // The link itself is an entry: it is moved and removed as itself, never what it points to.
    REQUIRE(tree->rename("link", "moved"));
    REQUIRE(tree->remove_all("moved"));
    CHECK(read_text(temp.path() / "outside" / "secret.txt") == "secret");
}

TEST_CASE("Windows: extract's output tree writes, refuses to replace, and lists UTF-8 names",
          "[os][win32]")
{
    TempDir temp;
    auto tree = real_writable_file_system().open_output_tree(temp.path() / "out", {});
    REQUIRE(tree);
    std::vector<std::string> path{"Media", "caf\xc3\xa9.jpg"};
    auto file = (*tree)->create_file(path);
    REQUIRE(file);
    REQUIRE((*file)->write(as_bytes("jpeg")));
    REQUIRE((*file)->commit(0644, 1'600'000'000));
    REQUIRE((*tree)->sync());
    CHECK(read_text(temp.path() / "out" / "Media" / path[1]) == "jpeg");
    auto stat = real_file_system().stat(temp.path() / "out" / "Media" / path[1]);
    REQUIRE(stat);
    CHECK(stat->modified == 1'600'000'000);
    auto again = (*tree)->create_file(path);
    REQUIRE_FALSE(again);
    CHECK(is_already_exists(again.error()));
    auto names = (*tree)->list_names({"Media"});
    REQUIRE(names);
    CHECK(*names == std::vector<std::string>{path[1]});
    // A folder in the way is a per-name error the caller skips, not the end of the run.
    auto refused = (*tree)->create_file({"Media"});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::InvalidArgument);
}

TEST_CASE("Windows: an output file the user names is claimed safely", "[os][win32]")
{
    TempDir temp;
    fs::path key = temp.path() / "key.bin";
    OutputFileOptions options;
    REQUIRE(real_writable_file_system().write_output_file(key, as_bytes("secret"), options));
    CHECK(read_text(key) == "secret");
    // Not bkcheck's (is_own empty) and no --overwrite: kept.
    auto refused = real_writable_file_system().write_output_file(key, as_bytes("other"), options);
    REQUIRE_FALSE(refused);
    CHECK(read_text(key) == "secret");
    options.replace_any = true;
    REQUIRE(real_writable_file_system().write_output_file(key, as_bytes("other"), options));
    CHECK(read_text(key) == "other");
    auto missing = real_writable_file_system().write_output_file(temp.path() / "no" / "k",
                                                                 as_bytes("x"), options);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::NotFound);
}
