// write_file_atomic is how prune, repair and undo write their journals and staged repairs: the new
// bytes replace the old whole, no temporary is left, and the mode is the one asked for even when a
// crash left a world-readable temporary behind or the umask allows more. write_output_file is how a
// file the user named (key file, seal) is claimed: never through a symlink, never into a backup,
// never over a file bkcheck did not write unless told, through a temporary nobody else can hold.
#include "backup_folder.h"
#include "bkcheck/discovery.h"
#include "bkcheck/file_system.h"

#include "support/file_contents.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

namespace {

using namespace bkcheck;

using test::read_text;

mode_t mode_of(const fs::path& file)
{
    struct stat info {};
    REQUIRE(::stat(file.c_str(), &info) == 0);
    return info.st_mode & 07777;
}

ByteView view_of(std::string_view text)
{
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace

TEST_CASE(
    "write_file_atomic replaces the whole file with the mode asked for, through a temporary of its "
    "own")
{
    test::TempDir temp;
    fs::path file = temp.path() / "key";
    test::write_text(file, "an older and longer content");
    // A temporary left by a crash, readable and writable by everyone.
    test::write_text(file.string() + ".bkcheck-tmp", "stale");
    REQUIRE(::chmod((file.string() + ".bkcheck-tmp").c_str(), 0666) == 0);
    mode_t old_umask = ::umask(0);

    Status owner_only = real_writable_file_system().write_file_atomic(file, view_of("secret\n"),
                                                                      FileAccess::OwnerOnly);
    mode_t owner_mode = mode_of(file);
    Status everyone = real_writable_file_system().write_file_atomic(
        temp.path() / "seal", view_of("x"), FileAccess::Everyone);
    ::umask(old_umask);

    REQUIRE(owner_only);
    CHECK(read_text(file) == "secret\n");
    CHECK(owner_mode == 0600);
    // The leftover is neither reused (another user may hold it open) nor touched.
    CHECK(read_text(file.string() + ".bkcheck-tmp") == "stale");
    REQUIRE(everyone);
    CHECK(mode_of(temp.path() / "seal") == 0644);
    CHECK(read_text(temp.path() / "seal") == "x");
}

TEST_CASE("write_file_atomic into a missing folder fails naming the file and creates nothing")
{
    test::TempDir temp;
    fs::path file = temp.path() / "missing" / "key";
    Status written =
        real_writable_file_system().write_file_atomic(file, view_of("k"), FileAccess::OwnerOnly);
    REQUIRE_FALSE(written);
    CHECK(written.error().describe().find((temp.path() / "missing" / "key").string()) !=
          std::string::npos);
    CHECK(written.error().describe().find("cannot create") != std::string::npos);
    CHECK(fs::is_empty(temp.path()));
}

// ---- write_output_file: how a key file, a seal or a report claims the path the user named
// ------------

namespace {

const std::string k_key_text = std::string(64, 'a') + "\n";

bool key_like(ByteView head, std::uint64_t size)
{
    return size == 65 &&
           std::string_view(reinterpret_cast<const char*>(head.data()), head.size()) == k_key_text;
}

OutputFileOptions key_options(bool replace_any = false)
{
    return OutputFileOptions{FileAccess::OwnerOnly, replace_any, key_like};
}

std::vector<std::string> names_in(const fs::path& dir)
{
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

struct stat lstat_of(const fs::path& path)
{
    struct stat info {};
    REQUIRE(::lstat(path.c_str(), &info) == 0);
    return info;
}

}  // namespace

TEST_CASE("write_output_file creates the file 0600 even under umask 0, and leaves no temporary",
          "[output_file]")
{
    test::TempDir temp;
    mode_t old_umask = ::umask(0);
    Status key = real_writable_file_system().write_output_file(temp.path() / "key",
                                                               view_of(k_key_text), key_options());
    Status seal = real_writable_file_system().write_output_file(
        temp.path() / "seal", view_of("x"), OutputFileOptions{FileAccess::Everyone, false, {}});
    ::umask(old_umask);
    REQUIRE(key);
    REQUIRE(seal);
    CHECK(mode_of(temp.path() / "key") == 0600);
    CHECK(mode_of(temp.path() / "seal") == 0644);
    CHECK(read_text(temp.path() / "key") == k_key_text);
    CHECK(names_in(temp.path()) == std::vector<std::string>{"key", "seal"});
}

TEST_CASE("write_output_file never reuses a leftover temporary, and leaves it alone",
          "[output_file]")
{
    test::TempDir temp;
    fs::path file = temp.path() / "key";
    // What the old code reused: "<FILE>.bkcheck-tmp", created by someone else and kept open to read
    // what bkcheck writes into it.
    fs::path leftover = file.string() + ".bkcheck-tmp";
    test::write_text(leftover, "planted");
    REQUIRE(::chmod(leftover.c_str(), 0666) == 0);
    std::ifstream watcher(leftover, std::ios::binary);

    REQUIRE(
        real_writable_file_system().write_output_file(file, view_of(k_key_text), key_options()));

    CHECK(read_text(file) == k_key_text);
    CHECK(read_text(leftover) == "planted");
    CHECK(mode_of(leftover) == 0666);
    CHECK(std::string(std::istreambuf_iterator<char>(watcher), {}) == "planted");
    CHECK(lstat_of(file).st_ino != lstat_of(leftover).st_ino);
    CHECK(names_in(temp.path()) == std::vector<std::string>{"key", "key.bkcheck-tmp"});
}

TEST_CASE(
    "write_output_file keeps an existing file bkcheck did not write, unless told to replace it",
    "[output_file]")
{
    test::TempDir temp;
    fs::path file = temp.path() / "notes.txt";
    test::write_text(file, "my notes\n");
    REQUIRE(::chmod(file.c_str(), 0644) == 0);

    Status refused =
        real_writable_file_system().write_output_file(file, view_of(k_key_text), key_options());
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::InvalidArgument);
    CHECK(refused.error().path == file.string());
    CHECK(refused.error().message.find("already exists") != std::string::npos);
    CHECK(refused.error().message.find("--overwrite") != std::string::npos);
    CHECK(read_text(file) == "my notes\n");
    CHECK(names_in(temp.path()) == std::vector<std::string>{"notes.txt"});
    CHECK_FALSE(check_output_file(file, key_options()));

    // A file in bkcheck's own format, but another user's, is not taken for ours (only root can
    // make one; CI runs as root).
    if (::geteuid() == 0) {
        fs::path theirs = temp.path() / "theirs.key";
        test::write_text(theirs, k_key_text);
        REQUIRE(::chown(theirs.c_str(), 4242, 4242) == 0);
        Status not_ours = real_writable_file_system().write_output_file(theirs, view_of(k_key_text),
                                                                        key_options());
        REQUIRE_FALSE(not_ours);
        CHECK(not_ours.error().message.find("another user") != std::string::npos);
        CHECK(lstat_of(theirs).st_uid == 4242);
        fs::remove(theirs);
    }

    // --overwrite: replaced by a new file of ours, 0600, which the old one's readers never see.
    std::ifstream reader(file, std::ios::binary);
    CHECK(check_output_file(file, key_options(true)));
    REQUIRE(real_writable_file_system().write_output_file(file, view_of(k_key_text),
                                                          key_options(true)));
    CHECK(read_text(file) == k_key_text);
    CHECK(mode_of(file) == 0600);
    CHECK(std::string(std::istreambuf_iterator<char>(reader), {}) == "my notes\n");
}

TEST_CASE("write_output_file replaces a file of its own format that this user owns",
          "[output_file]")
{
    test::TempDir temp;
    fs::path file = temp.path() / "key";
    test::write_text(file, k_key_text);
    REQUIRE(::chmod(file.c_str(), 0644) == 0);
    auto before = lstat_of(file).st_ino;
    std::string other = std::string(64, 'b') + "\n";

    REQUIRE(check_output_file(file, key_options()));
    REQUIRE(real_writable_file_system().write_output_file(file, view_of(other), key_options()));
    CHECK(read_text(file) == other);
    CHECK(mode_of(file) == 0600);
    CHECK(lstat_of(file).st_ino != before);
    CHECK(names_in(temp.path()) == std::vector<std::string>{"key"});
}

TEST_CASE("write_output_file refuses a symlink at the path, and leaves what it points to unchanged",
          "[output_file]")
{
    test::TempDir temp;
    fs::path victim = temp.path() / "victim";
    test::write_text(victim, k_key_text);  // even a target in the own format, and with --overwrite
    fs::path link = temp.path() / "key";
    REQUIRE(::symlink(victim.c_str(), link.c_str()) == 0);
    fs::path dangling = temp.path() / "dangling";
    REQUIRE(::symlink((temp.path() / "nowhere").c_str(), dangling.c_str()) == 0);

    for (bool replace_any : {false, true}) {
        for (const fs::path& path : {link, dangling}) {
            Status refused = real_writable_file_system().write_output_file(
                path, view_of("new\n"), key_options(replace_any));
            REQUIRE_FALSE(refused);
            CHECK(refused.error().code == ErrorCode::InvalidArgument);
            CHECK(refused.error().describe().find(path.string() + ": is a symbolic link") == 0);
        }
    }
    CHECK(read_text(victim) == k_key_text);
    CHECK(fs::is_symlink(link));
    CHECK(fs::is_symlink(dangling));
    CHECK_FALSE(fs::exists(temp.path() / "nowhere"));
    CHECK(names_in(temp.path()) == std::vector<std::string>{"dangling", "key", "victim"});

    fs::create_directory(temp.path() / "folder");
    Status folder = real_writable_file_system().write_output_file(temp.path() / "folder",
                                                                  view_of("x"), key_options(true));
    REQUIRE_FALSE(folder);
    CHECK(folder.error().message.find("is a folder") == 0);
}

TEST_CASE(
    "write_output_file refuses a path inside any backup folder, also reached through a symlink",
    "[output_file]")
{
    test::TempDir temp;
    fs::path backup = temp.path() / "backups" / "00008030-001A35E11A88802E";
    test::write_text(backup / "Manifest.plist", "x");
    fs::create_directories(backup / "ab");

    for (const fs::path& inside :
         {backup / "key", backup / "ab" / "key", backup / "new" / "folder" / "key"}) {
        Status refused = real_writable_file_system().write_output_file(inside, view_of(k_key_text),
                                                                       key_options(true));
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ErrorCode::InvalidArgument);
        CHECK(refused.error().describe() ==
              inside.string() + ": is inside the backup folder " + backup.string() +
                  ": bkcheck writes nothing into a backup; choose a path outside it");
    }
    // "link/../key" is temp/key to the eye, but ".." climbs from where the link leads.
    REQUIRE(::symlink((backup / "ab").c_str(), (temp.path() / "link").c_str()) == 0);
    CHECK_FALSE(real_writable_file_system().write_output_file(temp.path() / "link" / ".." / "key",
                                                              view_of("k"), key_options()));
    CHECK_FALSE(check_outside_backups(real_file_system(), temp.path() / "link" / "key"));
    CHECK(names_in(backup) == std::vector<std::string>{"Manifest.plist", "ab"});
    CHECK(fs::is_empty(backup / "ab"));

    // Beside the backup is fine.
    CHECK(real_writable_file_system().write_output_file(temp.path() / "backups" / "key",
                                                        view_of(k_key_text), key_options()));
}

TEST_CASE("write_output_file into a missing folder fails naming the file, not a temporary",
          "[output_file]")
{
    test::TempDir temp;
    fs::path file = temp.path() / "missing" / "key";
    Status written =
        real_writable_file_system().write_output_file(file, view_of("k"), key_options());
    REQUIRE_FALSE(written);
    CHECK(written.error().code == ErrorCode::NotFound);
    CHECK(written.error().describe() ==
          file.string() + ": cannot write here: " + (temp.path() / "missing").string() +
              " is not an existing folder");
    CHECK(fs::is_empty(temp.path()));
}
