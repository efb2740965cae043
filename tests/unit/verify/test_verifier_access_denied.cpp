// A blob this user may not read (EACCES, EPERM) was not examined: access.denied, counted as not
// checked, verdict unchecked, and repair drops nothing for it. Before, it was blob.unreadable, an
// error, and repair planned to drop the record (the sms.db of a real trial) and quarantine its blob.
#include "bkcheck/backup_index.h"
#include "bkcheck/repair.h"
#include "bkcheck/verifier.h"

#include "make_backup/backup_writer.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <cerrno>

using namespace bkcheck;

namespace {

// The real disk, except that one file answers as a mode-000 file answers a non-root user.
class DenyingFileSystem final : public FileSystem {
public:
    explicit DenyingFileSystem(fs::path denied) : m_denied(std::move(denied)) {}

    Result<FileStat> stat(const fs::path& path) const override { return real().stat(path); }
    Result<std::vector<DirEntry>> list(const fs::path& dir) const override { return real().list(dir); }
    Result<Bytes> read_file(const fs::path& path, std::uint64_t max_size) const override
    {
        if (path == m_denied) return error_from_errno(EACCES, path, "cannot open");
        return real().read_file(path, max_size);
    }
    Result<std::unique_ptr<SequentialReader>> open_read(const fs::path& path) const override
    {
        if (path == m_denied) return error_from_errno(EACCES, path, "cannot open");
        return real().open_read(path);
    }
    Result<std::uint64_t> free_space(const fs::path& path) const override { return real().free_space(path); }
    Result<std::string> read_link(const fs::path& path) const override { return real().read_link(path); }

private:
    static const FileSystem& real() { return real_file_system(); }
    fs::path m_denied;
};

}  // namespace

TEST_CASE("a blob this user may not read is not examined, never damage, and repair drops nothing for it",
          "[verdict][access]")
{
    for (IndexFormat format : {IndexFormat::ManifestDb, IndexFormat::ManifestMbdb}) {
        INFO((format == IndexFormat::ManifestDb ? "Manifest.db" : "Manifest.mbdb"));
        test::TempDir temp;
        testgen::BackupSpec spec;
        spec.format = format;
        spec.file_count = 10;
        auto dir = testgen::write_backup(spec, temp.path());
        REQUIRE(dir);
        auto backup = open_backup(real_file_system(), *dir);
        REQUIRE(backup);
        // The first file record's blob.
        std::optional<FileRecord> target;
        FindingSink reading(100);
        RecordVisitor visitor;
        visitor.record = [&](FileRecord&& record) {
            if (!target && record.kind == FileKind::File && record.size > 0) target = std::move(record);
        };
        REQUIRE(for_each_backup_record(real_file_system(), *backup, nullptr, reading, visitor));
        REQUIRE(target);
        DenyingFileSystem file_system(backup->path / blob_relative_path(format, target->file_id).value());

        FindingSink sink(1000);
        VerifyOptions options;
        options.read_data = true;
        auto result = verify_backup(file_system, *backup, options, sink, null_progress());
        REQUIRE(result);
        CHECK(sink.count("access.denied") == 1);
        CHECK(sink.count(Severity::Error) == 0);
        CHECK(result->counts.levels.not_checked == 1);
        CHECK(result->counts.levels.damaged == 0);
        CHECK(result->verdict == Verdict::Unchecked);

        RepairOptions repair;
        repair.now = 2'000'000'000;
        auto assessment = plan_repair(file_system, *backup, repair);
        REQUIRE(assessment);
        CHECK(assessment->plan.empty());
        bool explained = false;
        for (const std::string& line : assessment->plan.left_alone) {
            explained = explained || line.find("access.denied: this user may not read them") != std::string::npos;
        }
        CHECK(explained);
    }
}
