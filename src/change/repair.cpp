#include "bkcheck/repair.h"
#include "bkcheck/findings.h"
#include "bytes.h"
#include "finding_groups.h"
#include "manifest_db_plaintext.h"

#include "bkcheck/backup_index.h"
#include "bkcheck/path_text.h"
#include "bkcheck/status.h"
#include "crypto.h"
#include "manifest_db.h"
#include "manifest_db_builder.h"
#include "mbdb.h"
#include "plist_writer.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <limits>
#include <map>
#include <random>
#include <set>

namespace bkcheck {
namespace {

// Record-level errors a restore cannot get past; repair drops the record (and quarantines its
// blob).
constexpr std::string_view k_drop_codes[] = {finding_code::blob_missing,
                                             finding_code::blob_size_mismatch,
                                             finding_code::blob_digest_mismatch,
                                             finding_code::blob_padding_invalid,
                                             finding_code::blob_key_unwrap_failed,
                                             finding_code::blob_unreadable,
                                             finding_code::record_unreadable,
                                             finding_code::record_mode_type_missing,
                                             finding_code::record_file_id_mismatch,
                                             finding_code::record_unsafe_path};
struct NoRepair {
    std::string_view code;
    const char* why;
};

// Errors repair does not touch, and why: the README's table says the same.
constexpr NoRepair k_no_repair[] = {
    {finding_code::manifest_missing,
     "there is no index to repair; 'bkcheck repair --force-full' makes the next backup a full one"},
    {finding_code::manifest_plist_missing,
     "Manifest.plist holds the device's keybag and keys and cannot be rebuilt; use --force-full"},
    {finding_code::manifest_plist_unreadable,
     "Manifest.plist holds the device's keybag and keys and cannot be rebuilt; use --force-full"},
    {finding_code::manifest_key_unwrap_failed,
     "the key of Manifest.db cannot be unwrapped, so the index can be neither read nor "
     "rebuilt; use --force-full"},
    {finding_code::identity_mismatch,
     "the plists name different devices and which is right cannot be known; use --force-full, or "
     "prune the backup"},
    {finding_code::info_plist_unreadable,
     ""},  // handled when Manifest.plist is readable; otherwise explained there
    {finding_code::change_unfinished,
     "an earlier bkcheck run on this backup was stopped midway: put it back first with the "
     "'bkcheck undo' command verify names, then run repair again"},
    {finding_code::orphan_blob,
     "not in the way of a backup or restore; 'bkcheck prune' moves them aside"},
    {finding_code::access_denied,
     "this user may not read them: not damage, so nothing is dropped or moved for it; run bkcheck "
     "as "
     "a user who may read the backup"},
};

std::string random_hex(std::size_t bytes)
{
    std::random_device random;
    Bytes value(bytes);
    for (auto& byte : value) byte = static_cast<std::uint8_t>(random());
    return to_hex(value);
}

std::string uuid_string()
{
    std::string hex = to_upper_ascii(random_hex(16));
    hex[12] = '4';  // RFC 4122 version 4
    hex[16] = "89AB"[hex[16] % 4];
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
           hex.substr(16, 4) + "-" + hex.substr(20);
}

class RepairPlanner {
public:
    RepairPlanner(const FileSystem& file_system, const Backup& backup, const RepairOptions& options,
                  const std::vector<Finding>& findings, const VerifyResult& before, Plan& plan)
        : m_fs(file_system),
          m_backup(backup),
          m_options(options),
          m_findings(findings),
          m_before(before),
          m_plan(plan),
          m_folder(backup.folder_name)
    {
    }

    void run()
    {
        if (m_options.force_full) return plan_force_full();
        plan_info_plist();
        plan_snapshot();
        plan_index();
        plan_status();
        explain_links();
        explain_the_rest();
    }

private:
    bool has(std::string_view code) const
    {
        return std::any_of(m_findings.begin(), m_findings.end(),
                           [&](const Finding& f) { return f.code == code; });
    }

    void handled(std::string_view code) { m_handled.insert(std::string(code)); }

    void leave(const std::string& what)
    {
        m_plan.left_alone.push_back(m_backup.folder_name + ": " + what);
    }

    // The first part of `relative` (a path inside the backup) that is a symlink, when moving or
    // writing there would go through a link or move a linked blob (blob.link): a blob folder linked
    // to another backup's would let a repair move that backup's blobs. "" when there is none. A
    // top-level file that is itself a link (Manifest.db-wal, say) is not in the way: a rename moves
    // the link, not what it points to. Asked of the disk (read_link, which does not follow the last
    // part), not of the verify's listing, which may be older.
    std::string link_in_the_way(const fs::path& relative) const
    {
        std::size_t parts =
            static_cast<std::size_t>(std::distance(relative.begin(), relative.end()));
        fs::path prefix;
        std::size_t at = 0;
        for (const fs::path& part : relative) {
            prefix /= part;
            if (++at == parts && parts == 1 && !is_file_id(path_text(part))) break;
            if (m_fs.read_link(m_backup.path / prefix)) return generic_path_text(prefix);
        }
        return "";
    }

    void remove_if_present(Action& action, const fs::path& relative)
    {
        if (!m_fs.exists(m_backup.path / relative)) return;
        if (std::string link = link_in_the_way(relative); !link.empty()) {
            leave(generic_path_text(relative) + " is not moved to quarantine: " + link +
                  " is a symbolic link (blob.link), and bkcheck moves nothing through or out of a "
                  "link");
            return;
        }
        action.bytes += size_on_disk(m_fs, m_backup.path / relative);
        action.changes.push_back({ChangeKind::Remove, m_folder / relative, {}, {}});
    }

    void plan_force_full()
    {
        Action action{"force_full_backup",
                      m_backup.folder_name,
                      "the index files are moved aside, so the device finds no previous backup and "
                      "makes a full "
                      "one (the sure way past \"the backup is corrupt or not compatible\"); blobs "
                      "stay until the "
                      "new backup replaces them",
                      0,
                      {},
                      {}};
        for (const char* name : {"Manifest.db", "Manifest.db-wal", "Manifest.db-shm",
                                 "Manifest.mbdb", "Manifest.plist", "Status.plist", "Snapshot"}) {
            if (m_fs.exists(m_backup.path / name)) {
                action.details.push_back(name);
                remove_if_present(action, name);
            }
        }
        if (!action.changes.empty()) m_plan.actions.push_back(std::move(action));
    }

    void plan_info_plist()
    {
        const char* state = has(finding_code::info_plist_missing)      ? "missing"
                            : has(finding_code::info_plist_unreadable) ? "unreadable"
                            : has(finding_code::info_plist_incomplete)
                                ? "incomplete (no UDID, device name, model or iOS version)"
                                : nullptr;
        if (state == nullptr) return;
        handled(finding_code::info_plist_missing);
        handled(finding_code::info_plist_unreadable);
        handled(finding_code::info_plist_incomplete);
        const ManifestInfo& manifest = m_backup.manifest.value;
        if (!m_backup.manifest.ok() || manifest.udid.empty()) {
            leave(
                "Info.plist is not rebuilt: Manifest.plist, which it would be rebuilt from, is "
                "unreadable");
            return;
        }
        // The keys idevicebackup2 writes (format.md §2.1), from the device's own Lockdown record.
        PlistBuilder info;
        info.set_string("Build Version", manifest.build_version)
            .set_string("Device Name", manifest.device_name)
            .set_string("Display Name", manifest.device_name)
            .set_string("GUID", to_upper_ascii(random_hex(16)))
            .set_date("Last Backup Date", manifest.date.value_or(m_options.now))
            .set_string("Product Type", manifest.product_type)
            .set_string("Product Version", manifest.product_version)
            .set_string("Serial Number", manifest.serial_number)
            .set_string("Target Identifier", manifest.udid)
            .set_string("Target Type", "Device")
            .set_string("Unique Identifier", to_upper_ascii(manifest.udid))
            .set_string("iTunes Version", "10.0.1");
        m_plan.actions.push_back(
            {"rebuild_info_plist",
             path_text(m_folder / "Info.plist"),
             "Info.plist is " + std::string(state) +
                 "; rebuilt from Manifest.plist's Lockdown data (device name, model, iOS, "
                 "serial, UDID)",
             size_on_disk(m_fs, m_backup.path / "Info.plist"),
             {},
             {{ChangeKind::Write,
               m_folder / "Info.plist",
               {},
               info.serialize(PlistEncoding::Xml)}}});
    }

    void plan_snapshot()
    {
        if (!has(finding_code::snapshot_dir_present)) return;
        handled(finding_code::snapshot_dir_present);
        Action action{"remove_snapshot_dir",
                      path_text(m_folder / "Snapshot"),
                      "staging folder of a backup that did not finish; while it is there later "
                      "backups fail with "
                      "ErrorCode 104",
                      0,
                      {},
                      {}};
        remove_if_present(action, "Snapshot");
        m_plan.actions.push_back(std::move(action));
    }

    // The records to drop: fileID -> the code that condemns it.
    std::map<std::string, std::string> records_to_drop()
    {
        std::map<std::string, std::string> drop;
        for (const Finding& finding : m_findings) {
            for (std::string_view code : k_drop_codes) {
                if (finding.code == code && !finding.file_id.empty()) {
                    drop.emplace(finding.file_id, finding.code);
                    handled(code);
                }
            }
        }
        return drop;
    }

    // Moves each misplaced blob into its folder; never from or into a linked folder or a linked
    // blob (the verify does not list linked folders, but the disk may have changed since).
    void plan_misplaced(IndexFormat format)
    {
        for (const Finding& finding : m_findings) {
            if (finding.code != finding_code::blob_misplaced) continue;
            auto located = blob_relative_path(format, finding.file_id);
            if (!located) continue;  // verify reports misplaced blobs only for well-formed fileIDs
            fs::path expected = *located;
            if (std::string link = link_in_the_way(expected); !link.empty()) {
                leave("blob.misplaced: the content of " + finding.domain + ": " + finding.path +
                      " is not moved to " + generic_path_text(expected) + ": " + link +
                      " is a symbolic link (blob.link), and bkcheck moves nothing into a link");
                handled(finding_code::blob_misplaced);
                continue;
            }
            if (m_fs.exists(m_backup.path / expected)) continue;
            std::vector<std::string> folders{""};
            for (int i = 0; i < 256; ++i)
                folders.push_back(to_hex(Bytes{static_cast<std::uint8_t>(i)}));
            for (const std::string& folder : folders) {
                fs::path candidate = fs::path(folder) / finding.file_id;
                if (candidate == expected || !m_fs.exists(m_backup.path / candidate)) continue;
                if (!link_in_the_way(candidate).empty())
                    continue;  // what a link leads to is not this backup's
                m_plan.actions.push_back(
                    {"move_misplaced_blob",
                     path_text(m_folder / candidate),
                     "the content of " + finding.domain + ": " + finding.path +
                         " is in the wrong folder; moved to " + path_text(expected),
                     0,
                     {},
                     {{ChangeKind::Move, m_folder / candidate, m_folder / expected, {}}}});
                handled(finding_code::blob_misplaced);
                break;
            }
        }
    }

    void plan_index()
    {
        if (m_backup.format != BackupFormat::ManifestDb &&
            m_backup.format != BackupFormat::ManifestMbdb)
            return;
        IndexFormat format = m_backup.format == BackupFormat::ManifestDb
                                 ? IndexFormat::ManifestDb
                                 : IndexFormat::ManifestMbdb;
        plan_misplaced(format);
        auto drop = records_to_drop();
        bool duplicates = has(finding_code::record_duplicate);
        bool salvage = has(finding_code::manifest_unreadable);
        if (drop.empty() && !duplicates && !salvage) return;
        handled(finding_code::record_duplicate);

        Action rewrite;
        rewrite.kind = salvage ? "salvage_index" : "drop_records";
        rewrite.subject = path_text(m_folder / index_file_name(m_backup.format));
        Action blobs{
            "remove_damaged_blobs",
            m_backup.folder_name,
            "content of the dropped records (missing, damaged or unusable): kept in quarantine",
            0,
            {},
            {}};
        std::set<std::string> seen;
        std::size_t dropped = 0;
        auto keep = [&](const std::string& file_id, const std::string& domain,
                        const std::string& path) {
            auto condemned = drop.find(file_id);
            std::string why = condemned != drop.end() ? condemned->second
                              : !seen.insert(file_id).second
                                  ? std::string(finding_code::record_duplicate)
                                  : std::string();
            if (why.empty()) return true;
            ++dropped;
            auto blob = blob_relative_path(format, file_id);
            // A fileID that is not 40 hex digits names no file: the record goes, and nothing on
            // disk is touched (a crafted one such as "../outside/secret" must never become a path).
            rewrite.details.push_back(
                domain + ": " + path + " (" + why +
                (blob ? ")"
                      : "; its fileID is not 40 hex digits, so it names no file and no "
                        "file is touched)"));
            if (blob && why != finding_code::record_duplicate) remove_if_present(blobs, *blob);
            return false;
        };

        Bytes content;
        if (format == IndexFormat::ManifestDb) {
            auto image = load_manifest_db_plaintext(m_fs, m_backup, m_options.keys);
            if (!image) return leave("the index is not rewritten: " + image.error().describe());
            auto salvaged = salvage_manifest_rows(std::move(image->image), "Manifest.db");
            if (!salvaged)
                return leave("the index is not rewritten: " + salvaged.error().describe() +
                             "; use --force-full");
            std::vector<ManifestRow> kept;
            for (ManifestRow& row : salvaged->rows) {
                if (keep(row.file_id, row.domain, row.relative_path))
                    kept.push_back(std::move(row));
            }
            if (kept.empty())
                return leave(
                    "the index is not rewritten: no record in it can be kept; use --force-full");
            for (const std::string& problem : salvaged->problems)
                rewrite.details.push_back("lost: " + problem);
            auto built = build_manifest_db_image(kept);
            if (!built) return leave("the index is not rewritten: " + built.error().describe());
            // Re-encrypted with the same key, PKCS#7-padded even when block-aligned (format.md §8).
            content = image->key ? aes_cbc_encrypt(image->key->view(), *built) : std::move(*built);
            rewrite.reason = std::to_string(kept.size()) + " records kept, " +
                             std::to_string(dropped) + " dropped" +
                             (salvage ? ", salvaged from a damaged database" : "") +
                             "; a new Manifest.db with Apple's schema and settings" +
                             (image->key ? ", encrypted with the same key" : "");
        } else {
            if (salvage) {
                return leave(
                    "Manifest.mbdb does not parse to its end and bkcheck does not salvage mbdb "
                    "files; use "
                    "--force-full");
            }
            auto bytes = m_fs.read_file(m_backup.path / "Manifest.mbdb",
                                        std::numeric_limits<std::uint64_t>::max());
            if (!bytes) return leave("the index is not rewritten: " + bytes.error().describe());
            auto index = parse_mbdb(*bytes, "Manifest.mbdb");
            if (!index) return leave("the index is not rewritten: " + index.error().describe());
            std::vector<FileRecord> kept;
            for (FileRecord& record : index->records) {
                if (keep(record.file_id, record.domain, record.relative_path))
                    kept.push_back(std::move(record));
            }
            content = serialize_mbdb(kept);
            rewrite.reason = std::to_string(kept.size()) + " records kept, " +
                             std::to_string(dropped) + " dropped";
        }
        handled(finding_code::manifest_unreadable);
        fs::path index_name = index_file_name(m_backup.format);
        rewrite.bytes = size_on_disk(m_fs, m_backup.path / index_name);
        rewrite.changes.push_back(
            {ChangeKind::Write, m_folder / index_name, {}, std::move(content)});
        if (format == IndexFormat::ManifestDb) {
            // The old -wal would be replayed onto the new database: it must go with the old file.
            remove_if_present(rewrite, "Manifest.db-wal");
            remove_if_present(rewrite, "Manifest.db-shm");
        }
        m_plan.actions.push_back(std::move(rewrite));
        if (!blobs.changes.empty()) m_plan.actions.push_back(std::move(blobs));
        m_index_rewritten = true;
    }

    void plan_status()
    {
        bool problem = std::any_of(std::begin(k_status_codes), std::end(k_status_codes),
                                   [&](std::string_view c) { return has(c); });
        if (!problem) return;
        for (std::string_view code : k_status_codes) handled(code);
        bool other_errors =
            std::any_of(m_findings.begin(), m_findings.end(), [&](const Finding& f) {
                return f.severity == Severity::Error &&
                       f.code != finding_code::snapshot_dir_present &&
                       std::none_of(std::begin(k_status_codes), std::end(k_status_codes),
                                    [&](std::string_view c) { return f.code == c; });
            });
        bool fully_read = m_before.counts.blobs_read == m_before.counts.blobs_checked &&
                          m_before.counts.records > 0;
        if (other_errors || !fully_read || (m_backup.encrypted && m_options.keys == nullptr) ||
            m_index_rewritten) {
            leave(
                "Status.plist is not marked finished: a full verify has not proved the rest of the "
                "backup complete "
                "and sound (fix the other problems, then run repair again; or use --force-full)");
            return;
        }
        PlistBuilder status;
        status.set_string("BackupState", "new")
            .set_bool("IsFullBackup", false)
            .set_string("SnapshotState", "finished")
            .set_string("UUID", uuid_string())
            .set_date("Date", m_options.now)
            .set_string("Version", m_backup.format == BackupFormat::ManifestMbdb ? "2.4" : "3.3");
        m_plan.actions.push_back(
            {"rebuild_status_plist",
             path_text(m_folder / "Status.plist"),
             "the last session did not mark the backup finished, but every file it lists was "
             "read and matches the index: marked finished so it can be restored",
             size_on_disk(m_fs, m_backup.path / "Status.plist"),
             {},
             {{ChangeKind::Write,
               m_folder / "Status.plist",
               {},
               status.serialize(PlistEncoding::Binary)}}});
    }

    // Links are left as they are, and so are the records whose content is behind them (verify did
    // not check those, so they are not known to be damaged): one line per link, at most k_shown.
    void explain_links()
    {
        constexpr std::size_t k_shown = 20;
        std::size_t links = 0;
        for (const Finding& finding : m_findings) {
            if (finding.code != finding_code::blob_link) continue;
            handled(finding_code::blob_link);
            if (++links > k_shown) continue;
            leave("blob.link: " + finding.path +
                  " is a symbolic link; it and the index entries whose content is "
                  "behind it are left as they are (bkcheck changes nothing through a link, and "
                  "their content was "
                  "not checked): replace the link with a real copy of its target, then run verify "
                  "again");
        }
        if (links > k_shown)
            leave("blob.link: ... and " + std::to_string(links - k_shown) +
                  " more links, left alike");
    }

    void explain_the_rest()
    {
        std::set<std::string> explained;
        for (const Finding& finding : m_findings) {
            if (finding.severity != Severity::Error && finding.code != finding_code::orphan_blob &&
                finding.code != finding_code::access_denied) {
                continue;
            }
            if (m_handled.count(finding.code) || !explained.insert(finding.code).second) continue;
            std::string why = "no repair for it";
            for (const NoRepair& entry : k_no_repair) {
                if (finding.code == entry.code && *entry.why) why = entry.why;
            }
            leave(finding.code + ": " + why);
        }
    }

    const FileSystem& m_fs;
    const Backup& m_backup;
    const RepairOptions& m_options;
    const std::vector<Finding>& m_findings;
    const VerifyResult& m_before;
    Plan& m_plan;
    fs::path m_folder;
    std::set<std::string> m_handled;
    bool m_index_rewritten = false;
};

}  // namespace

namespace {

// Verifies `backup` (reading every blob, or with `read_only` only those) and plans its repair.
Result<RepairAssessment> assess(const FileSystem& file_system, const Backup& backup,
                                const RepairOptions& options,
                                const std::set<std::string>* read_only)
{
    FindingSink sink(std::numeric_limits<std::size_t>::max());
    VerifyOptions verify;
    static_cast<OperationContext&>(verify) = options;  // repair's threads, progress and Ctrl-C
    verify.read_data = true;
    verify.read_only = read_only;
    if (options.keys != nullptr) {
        verify.unlock = [keys = options.keys]() -> Result<const ClassKeys*> { return keys; };
    }
    auto before = verify_backup(file_system, backup, verify, sink);
    if (!before && before.error().code == ErrorCode::Interrupted) {
        return make_error(ErrorCode::Interrupted, path_text(backup.path),
                          "repair was interrupted while planning; nothing was changed");
    }
    if (!before) return std::move(before).error();
    RepairAssessment assessment{*before, sink.kept(), {}};
    assessment.plan.root = backup.path.parent_path();
    assessment.plan.verb = "repair";
    RepairPlanner(file_system, backup, options, assessment.findings, assessment.before,
                  assessment.plan)
        .run();
    assessment.plan.unwritable = unwritable_folders(file_system, assessment.plan);
    return assessment;
}

}  // namespace

Result<RepairAssessment> plan_repair(const FileSystem& file_system, const Backup& backup,
                                     const RepairOptions& options)
{
    return assess(file_system, backup, options, nullptr);
}

Result<RepairAssessment> recheck_repair(const FileSystem& file_system, const Backup& repaired,
                                        const RepairAssessment& planned,
                                        const RepairOptions& options)
{
    // Content to read again: every blob a finding named (a record repair could not drop keeps its
    // damaged blob, and only reading it again says so) and every blob the plan moved. A moved
    // blob's name is its fileID wherever it lands; that is all a Move into the backup can be.
    std::set<std::string> read_again;
    for (const Finding& finding : planned.findings) {
        if (!finding.file_id.empty()) read_again.insert(finding.file_id);
    }
    for (const Action& action : planned.plan.actions) {
        for (const Change& change : action.changes) {
            if (change.kind == ChangeKind::Move) read_again.insert(path_text(change.to.filename()));
        }
    }
    RepairOptions check = options;
    check.force_full = false;
    return assess(file_system, repaired, check, &read_again);
}

}  // namespace bkcheck
