// SQLite reads Manifest.db only through the FileSystem seam (file_system_vfs.h): with the index
// (and its -wal) moved off the disk into a file system's memory, verify and the index readers find
// the same rows, findings and counts as from the disk, for a plain index, one with committed rows
// in a -wal, and an encrypted one; and nothing reaches the disk.
#include "bkcheck/backup.h"
#include "bkcheck/unlock.h"
#include "bkcheck/verifier.h"
#include "manifest_db.h"

#include "make_backup/backup_writer.h"
#include "support/file_contents.h"
#include "support/temp_dir.h"
#include "support/tree_snapshot.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <map>

using namespace bkcheck;
namespace fs = std::filesystem;

namespace {

// The real disk, except for the files it holds in memory (which are nowhere on the disk). Counts
// the reads of those files.
class IndexInMemory final : public FileSystem {
public:
    void hold(const fs::path& path, Bytes bytes) { m_files[path] = std::move(bytes); }
    std::size_t reads() const { return m_reads; }

    Result<FileStat> stat(const fs::path& path) const override
    {
        if (auto held = m_files.find(path); held != m_files.end())
            return FileStat{EntryType::File, held->second.size(), 0, true};
        return real().stat(path);
    }
    Result<std::vector<DirEntry>> list(const fs::path& dir) const override
    {
        auto entries = real().list(dir);
        if (!entries) return entries;
        for (const auto& [path, bytes] : m_files) {
            if (path.parent_path() == dir)
                entries->push_back({path.filename().string(), EntryType::File});
        }
        std::sort(entries->begin(), entries->end(),
                  [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
        return entries;
    }
    Result<Bytes> read_file(const fs::path& path, std::uint64_t max_size) const override
    {
        auto held = m_files.find(path);
        if (held == m_files.end()) return real().read_file(path, max_size);
        ++m_reads;
        if (held->second.size() > max_size)
            return make_error(ErrorCode::Corrupt, path.string(), "too large");
        return held->second;
    }
    Result<std::unique_ptr<SequentialReader>> open_read(const fs::path& path) const override
    {
        if (m_files.count(path) == 0) return real().open_read(path);
        ++m_reads;
        return std::unique_ptr<SequentialReader>(std::make_unique<Reader>(m_files.at(path)));
    }
    Result<std::uint64_t> free_space(const fs::path& path) const override
    {
        return real().free_space(path);
    }
    Result<std::string> read_link(const fs::path& path) const override
    {
        if (m_files.count(path) != 0)
            return make_error(ErrorCode::Io, path.string(), "cannot read the link: not a link");
        return real().read_link(path);
    }
    // open_random_access: FileSystem's default, read_file above.

private:
    class Reader final : public SequentialReader {
    public:
        explicit Reader(const Bytes& bytes) : m_bytes(bytes) {}
        Result<std::size_t> read(std::span<std::uint8_t> buffer) override
        {
            std::size_t count = std::min(buffer.size(), m_bytes.size() - m_at);
            std::copy_n(m_bytes.begin() + static_cast<std::ptrdiff_t>(m_at), count, buffer.begin());
            m_at += count;
            return count;
        }

    private:
        const Bytes& m_bytes;
        std::size_t m_at = 0;
    };

    static const FileSystem& real() { return real_file_system(); }
    std::map<fs::path, Bytes> m_files;
    mutable std::size_t m_reads = 0;
};

using test::read_bytes;

struct Outcome {
    Verdict verdict = Verdict::Ok;
    std::uint64_t records = 0;
    std::map<std::string, std::size_t> totals;
};

Outcome verify(const FileSystem& file_system, const fs::path& dir, const std::string& password)
{
    auto backup = open_backup(file_system, dir);
    REQUIRE(backup);
    std::optional<UnlockedKeys> keys;
    VerifyOptions options;
    options.threads = 1;
    if (backup->encrypted) {
        options.unlock = [&]() -> Result<const ClassKeys*> {
            auto unlocked = unlock_with_password(*backup, password);
            if (!unlocked) return std::move(unlocked).error();
            keys = std::move(*unlocked);
            return keys->class_keys.get();
        };
    }
    FindingSink sink;
    auto result = verify_backup(file_system, *backup, options, sink);
    REQUIRE(result);
    return {result->verdict, result->counts.records, sink.totals()};
}

}  // namespace

TEST_CASE("Manifest.db and its -wal are read through the FileSystem seam only",
          "[manifest_db][vfs]")
{
    struct Variant {
        const char* name;
        bool encrypted;
        std::vector<testgen::Damage> damages;
    };
    const Variant variants[] = {
        {"plain", false, {}},
        {"committed -wal", false, {testgen::Damage::WalCommittedRows}},
        {"damaged page", false, {testgen::Damage::ManifestUnreadable}},
        {"encrypted", true, {}},
    };
    for (const Variant& variant : variants) {
        DYNAMIC_SECTION(variant.name)
        {
            test::TempDir temp;
            testgen::BackupSpec spec;
            spec.file_count = 12;
            spec.encrypted = variant.encrypted;
            spec.damages = variant.damages;
            auto dir = testgen::write_backup(spec, temp.path());
            REQUIRE(dir);
            const Outcome on_disk = verify(real_file_system(), *dir, spec.password);
            CHECK(on_disk.records > 12);

            // The index leaves the disk for the file system's memory.
            IndexInMemory file_system;
            for (const char* name : {"Manifest.db", "Manifest.db-wal"}) {
                fs::path path = *dir / name;
                if (!fs::exists(path)) continue;
                file_system.hold(path, read_bytes(path));
                fs::remove(path);
            }
            fs::remove(*dir / "Manifest.db-shm");
            const test::TreeSnapshot before = test::snapshot_tree(temp.path());
            const Outcome in_memory = verify(file_system, *dir, spec.password);
            CHECK(file_system.reads() > 0);
            CHECK(in_memory.verdict == on_disk.verdict);
            CHECK(in_memory.records == on_disk.records);
            CHECK(in_memory.totals == on_disk.totals);
            CHECK(test::snapshot_tree(temp.path()) == before);  // nothing written anywhere
            // The disk alone no longer has an index: the rows above came from memory.
            CHECK(verify(real_file_system(), *dir, spec.password).records == 0);
        }
    }
}

TEST_CASE("the -wal is folded into an image in memory, as from the disk", "[manifest_db][vfs]")
{
    test::TempDir temp;
    testgen::BackupSpec spec;
    spec.file_count = 12;
    spec.damages = {testgen::Damage::WalCommittedRows};
    auto dir = testgen::write_backup(spec, temp.path());
    REQUIRE(dir);
    const fs::path db = *dir / "Manifest.db";
    auto from_disk = read_manifest_db(real_file_system(), db);
    REQUIRE(from_disk);

    IndexInMemory file_system;
    file_system.hold("/nowhere/Manifest.db", read_bytes(db));
    auto without_wal = read_manifest_db(file_system, "/nowhere/Manifest.db");
    REQUIRE(without_wal);
    // The committed rows only the -wal holds are missing without it ...
    CHECK(without_wal->records.size() < from_disk->records.size());
    file_system.hold("/nowhere/Manifest.db-wal", read_bytes(db.string() + "-wal"));
    auto with_wal = read_manifest_db(file_system, "/nowhere/Manifest.db");
    REQUIRE(with_wal);
    CHECK(with_wal->records.size() == from_disk->records.size());
    CHECK(with_wal->index_problems == from_disk->index_problems);
    // ... and folded into the image a rebuild starts from.
    auto image = load_manifest_db_image(file_system, "/nowhere/Manifest.db");
    REQUIRE(image);
    auto folded = read_manifest_db_image(std::move(*image), "Manifest.db");
    REQUIRE(folded);
    REQUIRE(folded->records.size() == from_disk->records.size());
    for (std::size_t i = 0; i < folded->records.size(); ++i)
        CHECK(folded->records[i].file_id == from_disk->records[i].file_id);
}
