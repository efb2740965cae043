// A backup in use: a state shown by verify/info/list/doctor and honoured by prune/repair --apply.
// Real generated backups; the running writer comes through a made-up /proc behind the FileSystem
// seam.
#include "bkcheck/backup.h"
#include "bkcheck/doctor.h"
#include "bkcheck/quarantine.h"
#include "in_use_json.h"
#include "open_files.h"

#include "make_backup/backup_writer.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <map>

using namespace bkcheck;
using namespace bkcheck::test;
using testgen::Damage;

namespace {

class StringReader final : public SequentialReader {
public:
    explicit StringReader(std::string text) : m_text(std::move(text)) {}
    Result<std::size_t> read(std::span<std::uint8_t> buffer) override
    {
        std::size_t n = std::min(buffer.size(), m_text.size() - m_done);
        std::memcpy(buffer.data(), m_text.data() + m_done, n);
        m_done += n;
        return n;
    }

private:
    std::string m_text;
    std::size_t m_done = 0;
};

// The real disk, plus a /proc of made-up processes: pid -> (name, descriptor targets); a pid
// without a name is another user's process, whose fd folder may not be listed (EACCES).
class FakeProc final : public FileSystem {
public:
    struct Process {
        std::string comm;  // as the kernel writes it, with a newline
        std::vector<std::string> fds;
    };
    fs::path proc = "/proc";
    std::map<std::string, Process> processes;
    std::string self = "4242";

    Result<FileStat> stat(const fs::path& path) const override { return real().stat(path); }
    Result<std::vector<DirEntry>> list(const fs::path& dir) const override
    {
        if (dir == proc) {
            std::vector<DirEntry> entries{{"acpi", EntryType::Directory},
                                          {"self", EntryType::Symlink}};
            for (const auto& [pid, process] : processes)
                entries.push_back({pid, EntryType::Directory});
            return entries;
        }
        if (is_proc(dir)) {
            const Process* process = find(dir);
            if (process == nullptr || dir.filename() != "fd")
                return error_from_errno(ENOENT, dir, "cannot list folder");
            if (process->comm.empty()) return error_from_errno(EACCES, dir, "cannot list folder");
            std::vector<DirEntry> entries;
            for (std::size_t i = 0; i < process->fds.size(); ++i)
                entries.push_back({std::to_string(i), EntryType::Symlink});
            return entries;
        }
        return real().list(dir);
    }
    Result<Bytes> read_file(const fs::path& path, std::uint64_t max_size) const override
    {
        return real().read_file(path, max_size);
    }
    Result<std::unique_ptr<SequentialReader>> open_read(const fs::path& path) const override
    {
        if (is_proc(path)) {
            const Process* process = find(path);
            if (process == nullptr || path.filename() != "comm")
                return error_from_errno(ENOENT, path, "cannot open");
            return std::unique_ptr<SequentialReader>(std::make_unique<StringReader>(process->comm));
        }
        return real().open_read(path);
    }
    Result<std::uint64_t> free_space(const fs::path& path) const override
    {
        return real().free_space(path);
    }
    Result<std::string> read_link(const fs::path& path) const override
    {
        if (path == proc / "self") return self;
        if (is_proc(path)) {
            const Process* process = find(path);
            std::size_t fd = std::stoul(path.filename().string());
            if (process == nullptr || fd >= process->fds.size())
                return error_from_errno(ENOENT, path, "cannot read the link");
            return process->fds[fd];
        }
        return real().read_link(path);
    }
    Result<fs::path> real_path(const fs::path& path) const override
    {
        return real().real_path(path);
    }

private:
    static const FileSystem& real() { return real_file_system(); }
    bool is_proc(const fs::path& path) const
    {
        auto part = path.begin();
        return part != path.end() && *part == "/" && ++part != path.end() &&
               *part == proc.filename();
    }
    // The process a /proc/<pid>/... path is about.
    const Process* find(const fs::path& path) const
    {
        auto pid = std::next(path.begin(), 2);
        if (pid == path.end()) return nullptr;
        auto found = processes.find(pid->string());
        return found == processes.end() ? nullptr : &found->second;
    }
};

fs::path write(testgen::BackupSpec spec, const fs::path& parent)
{
    spec.file_count = 6;
    auto written = testgen::write_backup(spec, parent);
    REQUIRE(written);
    return *written;
}

std::int64_t now()
{
    return static_cast<std::int64_t>(std::time(nullptr));
}
// Two hours on: every file written by the test is then old, as in a backup copied long ago.
std::int64_t later()
{
    return now() + 2 * 3600;
}

}  // namespace

TEST_CASE("a Snapshot folder written in the last minutes makes a backup in use; old times do not",
          "[in_use]")
{
    TempDir temp;
    testgen::BackupSpec spec;
    spec.damages = {Damage::SnapshotDirPresent};
    fs::path dir = write(spec, temp.path());
    auto backup = open_backup(real_file_system(), dir);
    REQUIRE(backup);

    auto busy = backup_in_use(real_file_system(), *backup, now());
    REQUIRE(busy);
    CHECK(busy->path == dir / "Snapshot");
    CHECK(busy->reason == "changed in the last 10 minutes");
    CHECK(busy->process.empty());
    CHECK(describe_in_use(*busy) == busy->path.string() + ": changed in the last 10 minutes");

    CHECK_FALSE(backup_in_use(real_file_system(), *backup, later()));

    SECTION("a finished backup written just now is not in use")
    {
        fs::path finished = write(testgen::BackupSpec{}, temp.path() / "other");
        auto healthy = open_backup(real_file_system(), finished);
        REQUIRE(healthy);
        CHECK_FALSE(backup_in_use(real_file_system(), *healthy, now()));
    }
}

// Both read a simulated /proc: Linux's (and the portable build's) way to see who holds a file. A
// Windows build does not look at /proc; it would ask the Restart Manager, which is not done yet
// (README, Windows), so there only the file times say "in use".
#ifndef _WIN32
TEST_CASE(
    "a process holding a file of the backup open makes it in use, whatever the times, and is named",
    "[in_use]")
{
    TempDir temp;
    fs::path dir = write(testgen::BackupSpec{}, temp.path());
    auto backup = open_backup(real_file_system(), dir);
    REQUIRE(backup);

    FakeProc proc;
    proc.processes["77"] = {
        "bash\n", {"/dev/pts/0", dir.string() + "2/Manifest.db"}};  // a sibling folder: not inside
    proc.processes["88"] = {"", {(dir / "Manifest.db").string()}};  // another user's: skipped
    proc.processes["4242"] = {"bkcheck\n", {(dir / "Manifest.db").string()}};  // bkcheck itself
    CHECK_FALSE(backup_in_use(proc, *backup, later()));

    proc.processes["1234"] = {"idevicebackup2\n",
                              {"socket:[991]", "pipe:[7]", (dir / "Manifest.db").string()}};
    auto busy = backup_in_use(proc, *backup, later());
    REQUIRE(busy);
    CHECK(busy->process == "idevicebackup2");
    CHECK(busy->pid == 1234);
    CHECK(busy->path == dir / "Manifest.db");
    CHECK(busy->reason == "held open by idevicebackup2 (pid 1234)");
    CHECK(describe_in_use(*busy) ==
          "idevicebackup2 (pid 1234) has " + (dir / "Manifest.db").string() + " open");

    JsonWriter json;
    json.begin_object();
    write_in_use_json(json, busy);
    json.end_object();
    CHECK(json.str().find("\"process\": \"idevicebackup2\"") != std::string::npos);
    CHECK(json.str().find("\"pid\": 1234") != std::string::npos);
    CHECK(json.str().find("\"path\": \"" + (dir / "Manifest.db").string() + "\"") !=
          std::string::npos);

    SECTION("a file deleted while held open still counts, named without the kernel's suffix")
    {
        proc.processes.erase("1234");
        proc.processes["31"] = {"AppleMobileBackup\n",
                                {(dir / "Snapshot" / "Manifest.db").string() + " (deleted)"}};
        auto held = processes_holding_files_in_proc(proc, "/proc", dir);
        REQUIRE(held);
        REQUIRE(held->size() == 1);
        CHECK(held->front().file == dir / "Snapshot" / "Manifest.db");
        CHECK(held->front().process == "AppleMobileBackup");
    }
    SECTION(
        "where /proc cannot be listed, the OS cannot tell: Unsupported, and only the times count")
    {
        auto held = processes_holding_files_in_proc(proc, "/no-proc-here", dir);
        REQUIRE_FALSE(held);
        CHECK(held.error().code == ErrorCode::Unsupported);
    }
}

TEST_CASE("doctor shows a backup in use as a state, never as a problem", "[in_use][doctor]")
{
    TempDir temp;
    testgen::BackupSpec spec;
    fs::path dir = write(spec, temp.path());
    FakeProc proc;
    proc.processes["1234"] = {"idevicebackup2\n", {(dir / "Manifest.db").string()}};
    DoctorOptions options;
    options.now = later();
    options.threads = 1;
    auto report = diagnose(proc, {temp.path()}, options);
    REQUIRE(report);
    REQUIRE(report->in_use.size() == 1);
    CHECK(report->in_use.front().first == dir);
    CHECK(report->in_use.front().second.process == "idevicebackup2");
    CHECK_FALSE(report->problems());
}
#endif  // _WIN32

TEST_CASE("a plan changes a backup when a change's path or move target lies in its folder",
          "[in_use]")
{
    Plan plan;
    Action action;
    action.changes.push_back({ChangeKind::Remove, "AAA/Snapshot", {}, {}});
    plan.actions.push_back(action);
    CHECK(plan.changes_folder("AAA"));
    CHECK_FALSE(plan.changes_folder("AA"));
    CHECK_FALSE(plan.changes_folder("BBB"));
    plan.actions.front().changes.push_back({ChangeKind::Move, "AAA/x", "BBB/y", {}});
    CHECK(plan.changes_folder("BBB"));
}
