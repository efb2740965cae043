#include "bkcheck/backup_index.h"
#include "bkcheck/findings.h"
#include "crypto.h"
#include "keybag.h"
#include "manifest_db_plaintext.h"

#include "bkcheck/path_text.h"
#include "manifest_db.h"
#include "read_index.h"

#include <limits>
#include <optional>

namespace bkcheck {

Status for_each_backup_record(const FileSystem& file_system, const Backup& backup,
                              const ClassKeys* keys, FindingSink& sink,
                              const RecordVisitor& visitor)
{
    if (backup.format == BackupFormat::LegacyUnsupported) {
        return make_error(ErrorCode::Unsupported, path_text(backup.path),
                          "backups of iOS 4 and older (mdinfo/mddata) are not supported");
    }
    FindingSink local(1000);
    // Manifest.db rows arrive undecoded (verify decodes them on its workers): decoded here as they
    // arrive. Manifest.mbdb records arrive decoded.
    auto unreadable = [&](const UnreadableRecord& bad) {
        if (visitor.unreadable) visitor.unreadable(bad);
    };
    detail::IndexVisitor visit;
    // A visitor that wants no record only reads the index through: its rows are not decoded.
    bool wants_rows = visitor.record || visitor.unreadable;
    ManifestRowVisitor handle_row =
        wants_rows ? decode_rows(
                         visitor.record ? visitor.record : [](FileRecord&&) {}, unreadable)
                   : [](const ManifestRow&) { return true; };
    auto wants_more = [&visitor]() { return !visitor.wants_more || visitor.wants_more(); };
    visit.row = [&](ManifestRow& row) { return wants_more() && handle_row(row); };
    visit.record = [&](FileRecord&& record) {
        if (!wants_more()) return false;
        if (visitor.record) visitor.record(std::move(record));
        return true;
    };
    visit.unreadable = unreadable;
    auto read_or_fault =
        detail::read_index(file_system, backup, ManifestDbOptions{}, keys, local, visit);
    if (!read_or_fault) return std::move(read_or_fault).error();
    bool read = *read_or_fault;
    for (Finding& finding : local.kept()) sink.add(finding);
    if (read) return Ok{};
    std::vector<Finding> kept = local.kept();
    std::string why = kept.empty() ? "the index cannot be read" : kept.front().message;
    bool encrypted = !kept.empty() && kept.front().code == finding_code::manifest_encrypted;
    // An index this user may not read is the permission error (exit 5), not damage.
    bool denied = !kept.empty() && kept.front().code == finding_code::access_denied;
    return make_error(encrypted ? ErrorCode::WrongPassword
                      : denied  ? ErrorCode::Io
                                : ErrorCode::Corrupt,
                      path_text(backup.path / index_file_name(backup.format)),
                      encrypted ? "the index is encrypted: give the password (--password-file, "
                                  "BKCHECK_PASSWORD or --key-file)"
                                : why);
}

namespace {

std::size_t unreadable_index_findings(const FindingSink& sink)
{
    return sink.count(finding_code::manifest_unreadable);
}

// The places salvage stepped over, for a finding: a hostile database can have thousands.
std::string describe_losses(const std::vector<std::string>& problems)
{
    constexpr std::size_t k_shown = 5;
    std::string lost;
    for (std::size_t i = 0; i < problems.size() && i < k_shown; ++i)
        lost += (i == 0 ? "" : "; ") + problems[i];
    if (problems.size() > k_shown)
        lost += "; and " + std::to_string(problems.size() - k_shown) + " more";
    return lost.empty() ? "nothing more that can be told" : lost;
}

// Reads the Manifest.db of `backup` again by salvage into `index`, replacing what the normal
// reading got before the damage when salvage gets more rows. Says what it did in `sink`, and why
// when it could not (the damaged index's own manifest.unreadable finding stays either way).
void salvage_into(ManifestIndex& index, const FileSystem& file_system, const Backup& backup,
                  const ClassKeys* keys, FindingSink& sink)
{
    auto failed = [&](const Error& error) {
        sink.add(make_finding(finding_code::manifest_unreadable,
                              "salvage could not read past the damage either: " + error.describe(),
                              {}, {}, "Manifest.db"));
    };
    auto plaintext = load_manifest_db_plaintext(file_system, backup, keys);
    if (!plaintext) return failed(plaintext.error());
    auto salvaged = salvage_manifest_rows(std::move(plaintext->image), "Manifest.db");
    if (!salvaged) return failed(salvaged.error());
    std::size_t before = index.records.size() + index.unreadable.size();
    if (salvaged->rows.size() <= before)
        return;  // nothing gained: keep what the normal reading got
    ManifestIndex rows;
    auto collect = collect_rows_into(rows);
    for (ManifestRow& row : salvaged->rows) collect(row);
    index.records = std::move(rows.records);
    index.unreadable = std::move(rows.unreadable);
    sink.add(make_finding(
        finding_code::manifest_salvaged,
        std::to_string(salvaged->rows.size()) + " rows read by stepping over the damaged pages (" +
            std::to_string(before) +
            " before the first one); lost with the damage: " + describe_losses(salvaged->problems),
        {}, {}, "Manifest.db"));
}

// Every record of the index, read in full; the findings of the reading go to `read_sink`, those of
// a salvage (when `salvage`) to `salvage_sink`.
Result<ManifestIndex> gather_index(const FileSystem& file_system, const Backup& backup,
                                   const ClassKeys* keys, FindingSink& read_sink, bool salvage,
                                   FindingSink& salvage_sink)
{
    ManifestIndex gathered;
    gathered.format = backup.format == BackupFormat::ManifestMbdb ? IndexFormat::ManifestMbdb
                                                                  : IndexFormat::ManifestDb;
    RecordVisitor visitor;
    visitor.record = [&](FileRecord&& record) { gathered.records.push_back(std::move(record)); };
    visitor.unreadable = [&](const UnreadableRecord& bad) { gathered.unreadable.push_back(bad); };
    BK_TRY(for_each_backup_record(file_system, backup, keys, read_sink, visitor));
    if (salvage) salvage_into(gathered, file_system, backup, keys, salvage_sink);
    return gathered;
}

// Whether reading the index added manifest.unreadable findings to `sink` since it held `before`,
// on a Manifest.db, the one index salvage can read past.
bool salvage_worth_trying(const Backup& backup, const FindingSink& sink, std::size_t before)
{
    return backup.format == BackupFormat::ManifestDb && unreadable_index_findings(sink) > before;
}

}  // namespace

Result<ManifestIndex> load_backup_index(const FileSystem& file_system, const Backup& backup,
                                        const ClassKeys* keys, FindingSink& sink)
{
    std::size_t damaged_before = unreadable_index_findings(sink);
    FindingSink no_salvage_yet;
    auto gathered = gather_index(file_system, backup, keys, sink, false, no_salvage_yet);
    if (!gathered) return gathered;
    if (salvage_worth_trying(backup, sink, damaged_before))
        salvage_into(*gathered, file_system, backup, keys, sink);
    return gathered;
}

Status IndexRecords::for_each(const RecordVisitor& visitor) const
{
    auto wants_more = [&visitor]() { return !visitor.wants_more || visitor.wants_more(); };
    if (visitor.record) {
        for (const FileRecord& record : m_index.records) {
            if (!wants_more()) return Ok{};
            FileRecord copy = record;
            visitor.record(std::move(copy));
        }
    }
    if (visitor.unreadable) {
        for (const UnreadableRecord& bad : m_index.unreadable) {
            if (!wants_more()) return Ok{};
            visitor.unreadable(bad);
        }
    }
    return Ok{};
}

Result<StreamedRecords> StreamedRecords::open(const FileSystem& file_system, const Backup& backup,
                                              const ClassKeys* keys, FindingSink& sink)
{
    std::size_t damaged_before = unreadable_index_findings(sink);
    BK_TRY(for_each_backup_record(file_system, backup, keys, sink, RecordVisitor{}));
    StreamedRecords records(file_system, backup, keys);
    // Any damage (a Manifest.mbdb cut short reads up to the cut): gathered once, so every pass sees
    // the same records and a later pass's damage can only mean the index changed.
    if (unreadable_index_findings(sink) > damaged_before) {
        FindingSink read_again;  // the same findings as the pass above, already in `sink`
        auto gathered = gather_index(file_system, backup, keys, read_again,
                                     salvage_worth_trying(backup, sink, damaged_before), sink);
        if (!gathered) return std::move(gathered).error();
        records.m_gathered = std::move(*gathered);
    }
    return records;
}

Status StreamedRecords::for_each(const RecordVisitor& visitor) const
{
    if (m_gathered) return IndexRecords(*m_gathered).for_each(visitor);
    FindingSink again;  // open() reported what reading the index finds
    BK_TRY(for_each_backup_record(m_file_system, m_backup, m_keys, again, visitor));
    for (const Finding& finding : again.kept()) {
        if (finding.code != finding_code::manifest_unreadable) continue;
        return make_error(
            ErrorCode::Corrupt, path_text(m_backup.path / index_file_name(m_backup.format)),
            "the index changed while it was being read (is a backup running?): " + finding.message +
                "; run again");
    }
    return Ok{};
}

Result<ManifestDbPlaintext> load_manifest_db_plaintext(const FileSystem& file_system,
                                                       const Backup& backup, const ClassKeys* keys)
{
    fs::path db_path = backup.path / "Manifest.db";
    if (auto linked = index_link(backup)) {
        return make_error(
            ErrorCode::Io, path_text(backup.path / *linked),
            "is a symbolic link: bkcheck does not read through links inside a backup");
    }
    if (!backup.encrypted || starts_with_sqlite_magic(file_system, db_path)) {
        auto image = load_manifest_db_image(file_system, db_path);
        if (!image) return std::move(image).error();
        return ManifestDbPlaintext{std::move(*image), std::nullopt};
    }
    if (keys == nullptr) {
        return make_error(ErrorCode::WrongPassword, path_text(db_path),
                          "the index is encrypted: give the password");
    }
    auto key = unwrap_class_wrapped_key(*keys, backup.manifest.value.manifest_key);
    if (!key) return std::move(key).error();
    auto ciphertext = file_system.read_file(db_path, std::numeric_limits<std::uint64_t>::max());
    if (!ciphertext) return std::move(ciphertext).error();
    auto image = aes_cbc_decrypt(key->view(), *ciphertext);
    if (!image)
        return make_error(ErrorCode::Corrupt, path_text(db_path),
                          "does not decrypt (invalid padding)");
    return ManifestDbPlaintext{std::move(*image), std::move(*key)};
}

}  // namespace bkcheck
