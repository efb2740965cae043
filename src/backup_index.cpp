#include "bkcheck/backup_index.h"

#include "bkcheck/manifest_db.h"
#include "verify_steps.h"

#include <algorithm>
#include <optional>

namespace bkcheck {

Status for_each_backup_record(const FileSystem& file_system, const Backup& backup, const ClassKeys* keys,
                              FindingSink& sink, const RecordVisitor& visitor)
{
    if (backup.format == BackupFormat::LegacyUnsupported) {
        return make_error(ErrorCode::Unsupported, backup.path.string(),
                          "backups of iOS 4 and older (mdinfo/mddata) are not supported");
    }
    FindingSink local(1000);
    // Manifest.db rows arrive undecoded (verify decodes them on its workers): decoded here as they
    // arrive. Manifest.mbdb records arrive decoded.
    auto unreadable = [&](const UnreadableRecord& bad) {
        if (visitor.unreadable) visitor.unreadable(bad);
    };
    detail::IndexVisitor visit;
    visit.row = decode_rows(visitor.record, unreadable);
    visit.record = [&](FileRecord&& record) {
        visitor.record(std::move(record));
        return true;
    };
    visit.unreadable = unreadable;
    bool read = detail::read_index(file_system, backup, VerifyOptions{}, keys, local, visit);
    for (Finding& finding : local.kept()) sink.add(finding);
    if (read) return Ok{};
    std::vector<Finding> kept = local.kept();
    std::string why = kept.empty() ? "the index cannot be read" : kept.front().message;
    bool encrypted = !kept.empty() && kept.front().code == "manifest.encrypted";
    return make_error(encrypted ? ErrorCode::WrongPassword : ErrorCode::Corrupt,
                      (backup.path / index_file_name(backup.format)).string(),
                      encrypted ? "the index is encrypted: give the password (--password-file, "
                                  "BKCHECK_PASSWORD or --key-file)"
                                : why);
}

Result<ManifestIndex> load_backup_index(const FileSystem& file_system, const Backup& backup, const ClassKeys* keys,
                                        FindingSink& sink)
{
    // The whole index is wanted here (extract sorts and filters it).
    ManifestIndex gathered;
    gathered.format = backup.format == BackupFormat::ManifestMbdb ? IndexFormat::ManifestMbdb : IndexFormat::ManifestDb;
    RecordVisitor visitor;
    visitor.record = [&](FileRecord&& record) { gathered.records.push_back(std::move(record)); };
    visitor.unreadable = [&](const UnreadableRecord& bad) { gathered.unreadable.push_back(bad); };
    BK_TRY(for_each_backup_record(file_system, backup, keys, sink, visitor));
    return gathered;
}

bool index_needs_keys(const ManifestIndex& index)
{
    return std::any_of(index.records.begin(), index.records.end(),
                       [](const FileRecord& record) { return !record.encryption_key.empty(); });
}

}  // namespace bkcheck
