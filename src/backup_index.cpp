#include "bkcheck/backup_index.h"

#include "bkcheck/manifest_db.h"
#include "verify_steps.h"

#include <algorithm>
#include <limits>
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

namespace {

std::size_t unreadable_index_findings(const FindingSink& sink)
{
    auto totals = sink.totals();
    auto found = totals.find("manifest.unreadable");
    return found == totals.end() ? 0 : found->second;
}

// Reads the Manifest.db of `backup` again by salvage into `index`, replacing what the normal reading
// got before the damage, when salvage gets at least as much. Says what it did in `sink`.
void salvage_into(ManifestIndex& index, const FileSystem& file_system, const Backup& backup, const ClassKeys* keys,
                  FindingSink& sink)
{
    auto plaintext = load_manifest_db_plaintext(file_system, backup, keys);
    if (!plaintext) return;
    auto salvaged = salvage_manifest_rows(std::move(plaintext->image), "Manifest.db");
    if (!salvaged || salvaged->rows.size() <= index.records.size() + index.unreadable.size()) return;
    std::size_t before = index.records.size();
    ManifestIndex rows;
    auto collect = collect_rows_into(rows);
    for (const ManifestRow& row : salvaged->rows) collect(row);
    index.records = std::move(rows.records);
    index.unreadable = std::move(rows.unreadable);
    std::string lost;
    for (const std::string& problem : salvaged->problems) lost += (lost.empty() ? "" : "; ") + problem;
    sink.add(make_finding("manifest.salvaged",
                          std::to_string(salvaged->rows.size()) + " rows read by stepping over the damaged pages (" +
                              std::to_string(before) + " before the first one); lost with the damage: " +
                              (lost.empty() ? "nothing more that can be told" : lost),
                          {}, {}, "Manifest.db"));
}

}  // namespace

Result<ManifestIndex> load_backup_index(const FileSystem& file_system, const Backup& backup, const ClassKeys* keys,
                                        FindingSink& sink)
{
    // The whole index is wanted here (extract sorts and filters it).
    ManifestIndex gathered;
    gathered.format = backup.format == BackupFormat::ManifestMbdb ? IndexFormat::ManifestMbdb : IndexFormat::ManifestDb;
    RecordVisitor visitor;
    visitor.record = [&](FileRecord&& record) { gathered.records.push_back(std::move(record)); };
    visitor.unreadable = [&](const UnreadableRecord& bad) { gathered.unreadable.push_back(bad); };
    std::size_t damaged_before = unreadable_index_findings(sink);
    BK_TRY(for_each_backup_record(file_system, backup, keys, sink, visitor));
    if (backup.format == BackupFormat::ManifestDb && unreadable_index_findings(sink) > damaged_before) {
        salvage_into(gathered, file_system, backup, keys, sink);
    }
    return gathered;
}

Result<ManifestDbPlaintext> load_manifest_db_plaintext(const FileSystem& file_system, const Backup& backup,
                                                       const ClassKeys* keys)
{
    fs::path db_path = backup.path / "Manifest.db";
    if (!backup.encrypted || starts_with_sqlite_magic(file_system, db_path)) {
        auto image = load_manifest_db_image(db_path);
        if (!image) return std::move(image).error();
        return ManifestDbPlaintext{std::move(*image), std::nullopt};
    }
    if (keys == nullptr) {
        return make_error(ErrorCode::WrongPassword, db_path.string(), "the index is encrypted: give the password");
    }
    auto key = unwrap_class_wrapped_key(*keys, backup.manifest.value.manifest_key);
    if (!key) return std::move(key).error();
    auto ciphertext = file_system.read_file(db_path, std::numeric_limits<std::uint64_t>::max());
    if (!ciphertext) return std::move(ciphertext).error();
    auto image = aes_cbc_decrypt(key->view(), *ciphertext);
    if (!image) return make_error(ErrorCode::Corrupt, db_path.string(), "does not decrypt (invalid padding)");
    return ManifestDbPlaintext{std::move(*image), std::move(*key)};
}

bool index_needs_keys(const ManifestIndex& index)
{
    return std::any_of(index.records.begin(), index.records.end(),
                       [](const FileRecord& record) { return !record.encryption_key.empty(); });
}

}  // namespace bkcheck
