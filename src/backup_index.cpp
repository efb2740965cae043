#include "bkcheck/backup_index.h"

#include "bkcheck/manifest_db.h"
#include "verify_steps.h"

#include <algorithm>
#include <optional>

namespace bkcheck {

Result<ManifestIndex> load_backup_index(const FileSystem& file_system, const Backup& backup, const ClassKeys* keys,
                                        FindingSink& sink)
{
    if (backup.format == BackupFormat::LegacyUnsupported) {
        return make_error(ErrorCode::Unsupported, backup.path.string(),
                          "backups of iOS 4 and older (mdinfo/mddata) are not supported");
    }
    FindingSink local(1000);
    // The whole index is wanted here (extract sorts and filters it), so the rows verify streams are
    // gathered, each decoded as it arrives.
    ManifestIndex gathered;
    gathered.format = backup.format == BackupFormat::ManifestMbdb ? IndexFormat::ManifestMbdb : IndexFormat::ManifestDb;
    detail::IndexVisitor visit;
    visit.row = [&](const ManifestRow& row) {
        FileRecord record;
        Status decoded = decode_manifest_row(row, record);
        if (decoded) {
            gathered.records.push_back(std::move(record));
        } else {
            gathered.unreadable.push_back({row.file_id, row.domain, row.relative_path, decoded.error().message});
        }
        return true;
    };
    visit.record = [&](FileRecord&& record) {
        gathered.records.push_back(std::move(record));
        return true;
    };
    visit.unreadable = [&](const UnreadableRecord& bad) { gathered.unreadable.push_back(bad); };
    std::optional<ManifestIndex> index;
    if (detail::read_index(file_system, backup, VerifyOptions{}, keys, local, visit)) index = std::move(gathered);
    for (Finding& finding : local.kept()) sink.add(finding);
    if (!index) {
        std::vector<Finding> kept = local.kept();
        std::string why = kept.empty() ? "the index cannot be read" : kept.front().message;
        bool encrypted = !kept.empty() && kept.front().code == "manifest.encrypted";
        return make_error(encrypted ? ErrorCode::WrongPassword : ErrorCode::Corrupt,
                          (backup.path / index_file_name(backup.format)).string(),
                          encrypted ? "the index is encrypted: give the password (--password-file, "
                                      "BKCHECK_PASSWORD or --key-file)"
                                    : why);
    }
    return std::move(*index);
}

bool index_needs_keys(const ManifestIndex& index)
{
    return std::any_of(index.records.begin(), index.records.end(),
                       [](const FileRecord& record) { return !record.encryption_key.empty(); });
}

}  // namespace bkcheck
