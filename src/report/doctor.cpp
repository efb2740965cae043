// doctor: folder checks (access, free space), per-backup checks through verify, then the checks
// across backups of one device (doctor_devices.cpp); the list is ranked at the end.
#include "bkcheck/doctor.h"
#include "bkcheck/findings.h"
#include "text.h"

#include "bkcheck/backup.h"
#include "bkcheck/prune.h"
#include "bkcheck/quarantine.h"
#include "bkcheck/report.h"
#include "bkcheck/verifier.h"

#include "bkcheck/path_text.h"
#include "doctor_steps.h"
#include "text_format.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <set>

namespace bkcheck {
namespace {

// Finding codes that get a diagnosis of their own rather than being counted as "damaged".
constexpr std::string_view k_franken_code = finding_code::blob_key_unwrap_failed;
constexpr std::string_view k_identity_code = finding_code::identity_mismatch;
constexpr std::string_view k_unfinished_code = finding_code::change_unfinished;

Diagnosis access_denied(const fs::path& subject, const Error& error, Platform platform)
{
    Diagnosis diagnosis{std::string(finding_code::access_denied),
                        Severity::Error,
                        rank::access,
                        subject,
                        "",
                        error.describe(),
                        ""};
    if (platform == Platform::MacOS) {
        diagnosis.cause =
            "macOS does not let this program read the backup folder: it needs Full Disk Access "
            "(~/Library/Application Support/MobileSync is protected)";
        diagnosis.fix = std::string(k_full_disk_access_setting) +
                        ": allow your terminal, then bkcheck doctor " + shell_quote(subject);
    } else {
        diagnosis.cause =
            "permission denied: the folder cannot be read by this user, so neither can the backup "
            "program running as this user";
        diagnosis.fix = "give this user read and write access to it (ls -ld " +
                        shell_quote(subject) + "; chown/chmod), then bkcheck doctor " +
                        shell_quote(subject);
    }
    return diagnosis;
}

// A backup's remedy from the finding catalogue, with its real path filled in.
std::string remedy_for(std::string_view code, const fs::path& backup)
{
    return resolve_remedy(make_finding(code, {}), backup).text;
}

// "2 x blob.missing, 1 x status.unfinished: <first message>", over the error findings not in
// `skip`.
struct ErrorSummary {
    std::string evidence;
    std::vector<std::string> codes;  // in catalogue order of appearance
};

ErrorSummary summarize_errors(const FindingSink& sink, const std::set<std::string_view>& skip)
{
    ErrorSummary summary;
    std::map<std::string, std::size_t> totals = sink.totals();
    std::string first_message;
    for (const Finding& finding : sink.kept()) {
        if (finding.severity != Severity::Error || skip.count(finding.code) != 0) continue;
        if (std::find(summary.codes.begin(), summary.codes.end(), finding.code) ==
            summary.codes.end()) {
            summary.codes.push_back(finding.code);
        }
        if (first_message.empty()) {
            first_message = (finding.path.empty() ? "" : finding.path + ": ") + finding.message;
        }
    }
    for (const std::string& code : summary.codes) {
        if (!summary.evidence.empty()) summary.evidence += ", ";
        summary.evidence += std::to_string(totals[code]) + " x " + code;
    }
    if (!first_message.empty()) summary.evidence += " (" + first_message + ")";
    return summary;
}

// "access.denied: Manifest.db: cannot open: Permission denied": the code with its first finding, so
// the evidence names the file.
std::string first_of(const FindingSink& sink, std::string_view code)
{
    for (const Finding& finding : sink.kept()) {
        if (finding.code != code) continue;
        std::string subject =
            finding.domain.empty() ? finding.path : finding.domain + ": " + finding.path;
        return std::string(code) + ": " + (subject.empty() ? "" : subject + ": ") + finding.message;
    }
    return std::string(code);
}

// The remedies of `codes` as verify settled them for this backup (a fix repair cannot carry out
// beside another finding is taken back there), each once.
std::string distinct_remedies(const FindingSink& sink, const std::vector<std::string>& codes,
                              const fs::path& backup)
{
    std::vector<Finding> kept = sink.kept();
    std::vector<std::string> remedies;
    for (const std::string& code : codes) {
        auto finding = std::find_if(kept.begin(), kept.end(),
                                    [&](const Finding& f) { return f.code == code; });
        std::string remedy = finding != kept.end() ? resolve_remedy(*finding, backup).text
                                                   : remedy_for(code, backup);
        if (std::find(remedies.begin(), remedies.end(), remedy) == remedies.end())
            remedies.push_back(remedy);
    }
    std::string joined;
    for (const std::string& remedy : remedies) joined += (joined.empty() ? "" : "; ") + remedy;
    return joined;
}

// Runs verify (structure, or every blob with read_data) and turns its outcome into diagnoses;
// returns the backup's health as that verify saw it (for the advice across a device's backups).
Result<BackupHealth> diagnose_with_verify(const FileSystem& file_system, const Backup& backup,
                                          const DoctorOptions& options, std::vector<Diagnosis>& out)
{
    VerifyOptions verify;
    static_cast<OperationContext&>(verify) = options;  // doctor's threads, clock and Ctrl-C
    verify.read_data = options.read_data;
    if (backup.encrypted && options.unlock) {
        verify.unlock = [&]() { return options.unlock(backup); };
    }
    FindingSink sink(3);
    auto result = verify_backup(file_system, backup, verify, sink);
    const fs::path& subject = backup.path;
    if (!result) {
        const Error& error = result.error();
        switch (error.code) {
            case ErrorCode::Interrupted:
            case ErrorCode::LocalFault:
                return error;  // this machine's fault: never a diagnosis of the backup
            case ErrorCode::WrongPassword:
                out.push_back(
                    {"password.wrong", Severity::Warning, rank::password, subject,
                     "the password given does not unlock this encrypted backup: a restore will ask "
                     "for the "
                     "one set when encryption was turned on",
                     error.describe(),
                     "bkcheck unlock " + shell_quote(subject) +
                         " tries another password. Forgotten: no one can take it off this backup, "
                         "which stays locked; Apple's way out is to reset the backup password on "
                         "the device (Settings > General > Transfer or Reset > Reset > Reset All "
                         "Settings: settings such as Wi-Fi passwords and the wallpaper go, data "
                         "stays) and make a new encrypted backup with a new password. To search "
                         "for the old one, bkcheck unlock --hash-line " +
                         shell_quote(subject) + " prints the line hashcat and John read"});
                return health_from_verify(result, sink);
            case ErrorCode::Unsupported:
                out.push_back({"backup.unsupported", Severity::Warning, rank::unsupported, subject,
                               "a backup of an iOS 4 or older device: bkcheck cannot check it",
                               error.describe(), "keep it only if you still have such a device"});
                return health_from_verify(result, sink);
            default:
                if (is_permission_error(error)) {
                    out.push_back(access_denied(subject, error, options.platform));
                } else {
                    out.push_back({"backup.unreadable", Severity::Error, rank::unreadable, subject,
                                   "the backup could not be read to the end", error.describe(),
                                   "bkcheck verify " + shell_quote(subject)});
                }
                return health_from_verify(result, sink);
        }
    }

    if (std::size_t lost = sink.count(k_franken_code); lost > 0) {
        out.push_back({"encryption.franken", Severity::Error, rank::franken, subject,
                       "a \"franken-backup\": the password unlocks it, but " +
                           std::to_string(lost) +
                           " files were encrypted under an earlier keybag (an interrupted first "
                           "encrypted backup) "
                           "and cannot be decrypted; a restore fails or loses them",
                       std::to_string(lost) + " x " + std::string(k_franken_code),
                       remedy_for(k_franken_code, subject)});
    }
    if (sink.count(k_unfinished_code) > 0) {
        std::string fix;
        for (const UnfinishedRun& run : unfinished_runs(file_system, backup.path)) {
            fix += (fix.empty() ? "" : "; then ") + run.undo_command();
        }
        if (fix.empty()) fix = remedy_for(k_unfinished_code, subject);
        out.push_back(
            {std::string(finding_code::change_unfinished), Severity::Error, rank::unfinished,
             subject,
             "a bkcheck prune or repair of this backup was stopped before it finished: the backup "
             "is "
             "half-changed until that run is put back (other problems listed for it may be its "
             "doing)",
             std::to_string(sink.count(k_unfinished_code)) + " x " + std::string(k_unfinished_code),
             fix + ", then bkcheck doctor " + shell_quote(subject) + " again"});
    }
    if (sink.count(k_identity_code) > 0) {
        out.push_back({std::string(finding_code::identity_mismatch), Severity::Error,
                       rank::identity, subject,
                       "the backup's plists name different devices: Finder/iTunes may refuse it or "
                       "restore the "
                       "wrong device's data",
                       summarize_errors(sink, {}).evidence, remedy_for(k_identity_code, subject)});
    }
    ErrorSummary errors =
        summarize_errors(sink, {k_franken_code, k_identity_code, k_unfinished_code});
    switch (result->verdict) {
        case Verdict::Ok:
            break;
        case Verdict::Unchecked:
            if (sink.count(finding_code::access_denied) > 0) {
                // This user may not read part of it: not examined, and not damage (exit 5, as
                // verify).
                out.push_back(
                    {std::string(finding_code::access_denied), Severity::Error, rank::access,
                     subject,
                     "this user may not read " +
                         count_of(sink.count(finding_code::access_denied), "file", "files") +
                         " of the backup (permissions): not examined, and not damage",
                     first_of(sink, finding_code::access_denied),
                     "run bkcheck as a user who may read the backup (ls -l shows the owner)"});
                break;
            }
            out.push_back(
                {"backup.unchecked", Severity::Warning, rank::unchecked, subject,
                 result->counts.index_examined
                     ? "nothing wrong was found, but " +
                           std::to_string(result->counts.levels.not_checked) +
                           " files could not be looked at: this is no clean bill"
                     : std::string(
                           "the index is encrypted and no password was given: none of the files it "
                           "lists was checked, only the plists and the folder layout"),
                 result->counts.index_examined ? std::string("files not checked")
                                               : std::string(finding_code::manifest_encrypted),
                 "bkcheck doctor --read-data --password-file FILE " + shell_quote(subject)});
            break;
        case Verdict::Incomplete:
            out.push_back({"backup.interrupted", Severity::Error, rank::interrupted, subject,
                           "the last backup did not finish (an interrupted transfer); its "
                           "leftovers make later "
                           "backups fail (ErrorCode 104) until they are removed",
                           errors.evidence, distinct_remedies(sink, errors.codes, subject)});
            break;
        case Verdict::Unreadable:
            out.push_back({"backup.unreadable", Severity::Error, rank::unreadable, subject,
                           "the backup's index or Manifest.plist cannot be read: nothing can be "
                           "restored from it "
                           "as it is",
                           errors.evidence, distinct_remedies(sink, errors.codes, subject)});
            break;
        case Verdict::Damaged:
            if (!errors.codes.empty()) {
                out.push_back({"backup.damaged", Severity::Error, rank::damaged, subject,
                               "the backup is damaged (a corrupted old backup): the next backup or "
                               "a restore fails "
                               "on it",
                               errors.evidence, distinct_remedies(sink, errors.codes, subject)});
            }
            break;
    }
    if (result->verdict == Verdict::Ok) {
        std::vector<std::string> codes;
        // Only what prune removes: other warnings (an index not read without the password) are
        // covered by encryption.unchecked.
        for (const auto& [code, count] : sink.totals()) {
            const FindingKind& kind = finding_kind(code);
            if (kind.severity == Severity::Warning && kind.fix.substr(0, 6) == "prune ") {
                codes.push_back(code);
            }
        }
        std::string evidence;
        for (const std::string& code : codes) evidence += (evidence.empty() ? "" : ", ") + code;
        if (!codes.empty())
            out.push_back({"backup.leftovers", Severity::Info, rank::leftovers, subject,
                           "the backup restores, but holds leftovers that take space", evidence,
                           distinct_remedies(sink, codes, subject)});
    }
    if (result->verdict == Verdict::Unchecked) {
        // backup.unchecked says it, with the same fix.
    } else if (backup.encrypted && !options.unlock) {
        out.push_back({"encryption.unchecked", Severity::Info, rank::unchecked, subject,
                       "encrypted: without the password only what needs no key was checked",
                       "Manifest.plist IsEncrypted",
                       "bkcheck doctor --read-data --password-file FILE " + shell_quote(subject) +
                           " also checks the password and every file's key"});
    } else if (backup.encrypted && !options.read_data) {
        out.push_back({"encryption.unchecked", Severity::Info, rank::unchecked, subject,
                       "the password unlocks it; the files' keys (the franken-backup signature) "
                       "are only checked "
                       "when the files are read",
                       "Manifest.plist IsEncrypted",
                       "bkcheck doctor --read-data " + shell_quote(subject)});
    }
    return health_from_verify(result, sink);
}

// The backup's health as prune sees it: prune verifies structure only, so with --read-data (which
// may find damage a structural verify does not) it is asked again. A backup --read-data calls sound
// is structurally sound too.
Result<BackupHealth> health_as_prune_sees_it(const FileSystem& file_system, const Backup& backup,
                                             const DoctorOptions& options, const BackupHealth& seen)
{
    if (!options.read_data || seen.health == Health::Sound) return seen;
    VerifyOptions verify;
    static_cast<OperationContext&>(verify) = options;
    if (backup.encrypted && options.unlock)
        verify.unlock = [&]() { return options.unlock(backup); };
    FindingSink sink(1);
    auto result = verify_backup(file_system, backup, verify, sink);
    if (!result && (result.error().code == ErrorCode::Interrupted ||
                    result.error().code == ErrorCode::LocalFault)) {
        return std::move(result).error();
    }
    return health_from_verify(result, sink);
}

// Free space on the volume of `root` against the last backup there.
void diagnose_space(const FileSystem& file_system, const fs::path& root,
                    const std::vector<Backup>& backups, const DoctorOptions& options,
                    std::vector<Diagnosis>& out)
{
    auto free = file_system.free_space(root);
    if (!free) return;  // a volume that does not say is not evidence of anything
    const Backup* last = nullptr;
    for (const Backup& backup : backups) {
        if (last == nullptr || backup_date(backup).value_or(0) > backup_date(*last).value_or(0))
            last = &backup;
    }
    std::uint64_t last_size = last == nullptr ? 0 : size_on_disk(file_system, last->path);
    std::uint64_t headroom = std::max(
        options.headroom_bytes,
        static_cast<std::uint64_t>(static_cast<double>(last_size) * options.headroom_fraction));
    std::string fix = "bkcheck prune " + shell_quote(root) +
                      " (orphans and leftovers; --keep-last 1 for old copies)";
    if (file_system.exists(quarantine_dir(root))) {
        fix += "; bkcheck purge " + shell_quote(root) + " frees what earlier runs quarantined";
    }
    fix += "; or free space on that volume";
    std::string evidence =
        human_bytes(*free) + " free" +
        (last == nullptr ? std::string() : ", the last backup takes " + human_bytes(last_size));
    if (*free < headroom) {
        out.push_back({"space.short", Severity::Error, rank::space, root,
                       "the backup volume is nearly full: the device aborts the backup with \"not "
                       "enough free "
                       "space\" (ErrorCode 105)",
                       evidence + ", " + human_bytes(headroom) + " needed at least", fix});
    } else if (*free < last_size + headroom) {
        out.push_back(
            {"space.low", Severity::Warning, rank::space, root,
             "a full backup (a new device, or after the last one was removed) would not fit on the "
             "backup volume",
             evidence + ", " + human_bytes(last_size + headroom) + " needed for a full one", fix});
    }
}

void diagnose_root(const FileSystem& file_system, const fs::path& root,
                   const DoctorOptions& options, DoctorReport& report, std::vector<Backup>& opened)
{
    report.roots.push_back(root);
    auto found = find_backups(file_system, root);
    if (!found) {
        if (is_permission_error(found.error())) {
            report.diagnoses.push_back(access_denied(root, found.error(), options.platform));
        } else {
            report.diagnoses.push_back(
                {"root.unreadable", Severity::Error, rank::access, root,
                 "the folder of backups cannot be listed", found.error().describe(),
                 "check the path and the disk, then bkcheck doctor " + shell_quote(root)});
        }
        return;
    }
    std::vector<Backup> here;
    for (const fs::path& path : *found) {
        report.backups.push_back(path);
        auto backup = open_backup(file_system, path);
        if (!backup) {
            if (is_permission_error(backup.error())) {
                report.diagnoses.push_back(access_denied(path, backup.error(), options.platform));
            } else {
                report.diagnoses.push_back({"backup.unreadable", Severity::Error, rank::unreadable,
                                            path, "the backup folder cannot be opened",
                                            backup.error().describe(),
                                            "bkcheck prune --unrecoverable " + shell_quote(root)});
            }
            continue;
        }
        here.push_back(std::move(*backup));
    }
    // A backup given directly: its volume is the one of the folder that holds it.
    diagnose_space(file_system,
                   found->size() == 1 && (*found)[0] == root ? root.parent_path() : root, here,
                   options, report.diagnoses);
    for (Backup& backup : here) opened.push_back(std::move(backup));
}

}  // namespace

bool DoctorReport::problems() const
{
    return std::any_of(diagnoses.begin(), diagnoses.end(), [](const Diagnosis& diagnosis) {
        return diagnosis.severity != Severity::Info;
    });
}

namespace {

bool is_access_code(const std::string& code)
{
    return code == finding_code::access_denied || code == "root.unreadable";
}

}  // namespace

bool DoctorReport::damage() const
{
    return std::any_of(diagnoses.begin(), diagnoses.end(), [](const Diagnosis& diagnosis) {
        return diagnosis.severity != Severity::Info && !is_access_code(diagnosis.code) &&
               diagnosis.code != "backup.unchecked";
    });
}

bool DoctorReport::access_problem() const
{
    return std::any_of(diagnoses.begin(), diagnoses.end(),
                       [](const Diagnosis& diagnosis) { return is_access_code(diagnosis.code); });
}

bool DoctorReport::unexamined() const
{
    return std::any_of(diagnoses.begin(), diagnoses.end(), [](const Diagnosis& diagnosis) {
        return diagnosis.code == "backup.unchecked";
    });
}

Result<DoctorReport> diagnose(const FileSystem& file_system, const std::vector<fs::path>& roots,
                              const DoctorOptions& options)
{
    DoctorReport report;
    std::vector<Backup> backups;
    for (const fs::path& root : roots) diagnose_root(file_system, root, options, report, backups);
    std::vector<RetentionHealth> health;  // per backup
    for (const Backup& backup : backups) {
        if (options.cancel != nullptr && options.cancel->load()) {
            return make_error(ErrorCode::Interrupted, path_text(backup.path), "interrupted");
        }
        auto busy = backup_in_use(file_system, backup, options.now);
        if (busy) {
            report.in_use.emplace_back(backup.path, *busy);
            report.diagnoses.push_back(
                {"backup.in_progress", Severity::Info, rank::in_progress, backup.path,
                 "a backup seems to be running right now; what follows may be its "
                 "unfinished state",
                 describe_in_use(*busy),
                 "wait for it to end, then bkcheck doctor " + shell_quote(backup.path)});
        }
        auto seen = diagnose_with_verify(file_system, backup, options, report.diagnoses);
        if (!seen) return std::move(seen).error();
        auto as_prune = health_as_prune_sees_it(file_system, backup, options, *seen);
        if (!as_prune) return std::move(as_prune).error();
        // A backup being written is no sound copy yet, whatever its files say now (retention.h).
        if (busy) {
            health.push_back({health_while_in_use(*busy), health_while_in_use(*busy)});
        } else {
            health.push_back({*seen, *as_prune});
        }
    }
    diagnose_devices(backups, health, options, report.diagnoses);
    std::stable_sort(report.diagnoses.begin(), report.diagnoses.end(),
                     [](const Diagnosis& a, const Diagnosis& b) {
                         if (a.severity != b.severity) return a.severity < b.severity;
                         if (a.rank != b.rank) return a.rank < b.rank;
                         return a.subject < b.subject;
                     });
    return report;
}

}  // namespace bkcheck
