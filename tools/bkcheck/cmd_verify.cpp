// bkcheck verify <dir>: checks a backup, read-only, and says whether it will restore.
#include "backup_folder.h"
#include "backups_root.h"
#include "bkcheck/findings.h"
#include "color.h"
#include "operation.h"
#include "password.h"
#include "shared_options.h"
#include "terminal_progress.h"
#include "text.h"
#include "verb.h"
#include "verify_report.h"

#include "bkcheck/backup.h"
#include "bkcheck/discovery.h"
#include "bkcheck/file_system.h"
#include "bkcheck/report.h"
#include "bkcheck/seal.h"
#include "bkcheck/verifier.h"

#include <future>
#include <limits>
#include <ostream>

namespace bkcheck::cli {
namespace {

const VerbSpec k_spec{
    "verify", "bkcheck verify [options] <dir>",
    "Check a backup, read-only: plists, index, and every file's content against the index.",
    "By default checks the structure: the plists, the index's integrity, that every file has its\n"
    "content blob with the right length, and leftovers (orphans). --read-data also reads every "
    "blob\n"
    "and compares its SHA-1 with the index (slow: reads the whole backup). bkcheck never changes "
    "a\n"
    "byte of the backup. Encrypted backups: with a password (or --key-file) the index is "
    "decrypted\n"
    "in memory and, with --read-data, every file too; no plaintext is ever written to disk. "
    "Without\n"
    "one, only what needs no key is checked. Exit 0 when no error was found and everything was\n"
    "examined, 1 when the backup has problems, 4 when the password is wrong, 6 (unchecked) when\n"
    "nothing wrong was found but the index or some file could not be examined.\n\n"
    "--read-data --seal also records an XXH3-128 (--seal-hash sha256: a SHA-256) of every file in\n"
    "a seal file beside the backup, with the verdict and findings: a damaged backup is sealed as\n"
    "it is. A later --against-seal hashes the files again and names any byte changed since,\n"
    "without the password and at the speed of reading the files. An existing seal file is\n"
    "replaced only when it is an earlier seal (--overwrite replaces any file); symlinks and paths\n"
    "inside a backup folder are refused.\n\n"
    "--report FILE writes a JSON Lines record of every index entry (its level, findings and the\n"
    "SHA-256 of its blob as stored and, decrypted, of its plaintext), then a trailer with the\n"
    "verdict, counts, command line (no password), times and the index files' SHA-256; with\n"
    "--read-data every blob is hashed. FILE may not be inside a backup folder."};

// "10%" or "10" -> 0.10; nullopt when not a number in (0, 100].
std::optional<double> parse_percentage(std::string text)
{
    if (!text.empty() && text.back() == '%') text.pop_back();
    try {
        std::size_t used = 0;
        double value = std::stod(text, &used);
        if (used != text.size() || !(value >= 0 && value <= 100)) return std::nullopt;
        return value / 100.0;
    } catch (const std::exception&) {
        return std::nullopt;  // std::stod reports bad input only by exception
    }
}

// --max-findings N: at most N findings listed per code; 0 lists all, as --top 0 shows all.
std::size_t findings_cap(const po::variables_map& values)
{
    auto cap = static_cast<std::size_t>(values["max-findings"].as<long long>());
    return cap == 0 ? std::numeric_limits<std::size_t>::max() : cap;
}

// verify --against-seal: the files against the seal, nothing else.
int run_seal_check(const po::variables_map& values, const Backup& backup,
                   const std::optional<InUse>& in_use, const fs::path& seal_path, Context& context)
{
    const FileSystem& file_system = real_file_system();
    auto seal = read_seal(file_system, seal_path);
    if (!seal) return report_error(seal.error(), context);
    FindingSink sink(findings_cap(values));
    TerminalProgress terminal_progress(context.err);
    SealCheckOptions options;
    share_context(options, operation_context(values, terminal_progress, context));
    options.other_folder = values.count("seal-of-renamed") != 0;
    auto result = check_against_seal(file_system, backup, *seal, options, sink);
    if (!result) return report_error(result.error(), context);
    context.out << (json_requested(values)
                        ? render_seal_check_json(backup, in_use, seal_path, *seal, *result, sink)
                        : render_seal_check_text(backup, in_use, seal_path, *seal, *result, sink,
                                                 out_has_color(context)));
    // Unchanged since a seal of a damaged backup is still a damaged backup: exit 1, as the verify
    // that made the seal, so a script gating a restore on 0 never passes it.
    bool sealed_damaged = !seal->verdict.empty() && seal->verdict != "ok";
    return judged_exit(!result->unchanged() || sealed_damaged, result->denied != 0, false);
}

}  // namespace

int run_verify(const std::vector<std::string>& args, Context& context)
{
    po::options_description options("Options");
    po::positional_options_description positional;
    add_json_option(options, "print one JSON object");
    options.add_options()("read-data", "also read every blob and check its SHA-1 digest")(
        "deep",
        "implies --read-data: also decode each file's content (databases, plists, photos, videos)")(
        "read-data-subset", po::value<std::string>(),
        "read only N% of the blobs (e.g. 10%), chosen by fileID")(
        "max-findings",
        number_in_range("max-findings", 0, std::numeric_limits<long long>::max())
            ->default_value(50),
        "list at most N findings per code, count the rest (0: list all)")(
        "full-integrity-check",
        "run SQLite's integrity_check instead of quick_check on Manifest.db")(
        "no-password",
        "do not ask for a password: check an encrypted backup only as far as possible without it")(
        "seal",
        "with --read-data: record every file's hash, the verdict and the findings in a seal "
        "beside it")("against-seal",
                     "only check that no byte changed since the seal (fast; needs no password)")(
        "seal-hash", po::value<std::string>(),
        "with --seal: xxh3-128 (default, fast) or sha256 (a cryptographic hash)")(
        "seal-file", po::value<std::string>(),
        "the seal file (default: <dir>.bkcheck-seal beside the backup)")(
        "seal-of-renamed",
        "with --against-seal: accept a seal that names another folder (this one was renamed)")(
        "overwrite",
        "with --seal or --report: replace that file even when it is not an earlier one")(
        "report", po::value<std::string>(),
        "write a JSON Lines report of every index entry and the run to FILE");
    add_jobs_option(options);
    add_credential_options(options);
    add_backup_folder(options, positional);
    int exit_code = k_exit_ok;
    auto values = parse_verb_options(k_spec, options, positional, args, context, exit_code);
    if (!values) return exit_code;

    VerifyOptions verify_options;
    verify_options.read_data = values->count("read-data") || values->count("read-data-subset");
    verify_options.deep = values->count("deep") != 0;
    if (values->count("read-data-subset")) {
        auto fraction = parse_percentage((*values)["read-data-subset"].as<std::string>());
        if (!fraction) {
            context.err << "bkcheck verify: --read-data-subset takes a percentage between 0 and "
                           "100, e.g. 10%\n";
            return k_exit_usage;
        }
        verify_options.read_fraction = *fraction;
    }
    bool seal = values->count("seal") != 0, against_seal = values->count("against-seal") != 0;
    if (seal && (!values->count("read-data") || values->count("read-data-subset"))) {
        context.err << "bkcheck verify: --seal needs --read-data (every blob read, no subset)\n";
        return k_exit_usage;
    }
    bool overwrite = values->count("overwrite") != 0;
    bool report = values->count("report") != 0;
    if (report && against_seal) {
        context.err << "bkcheck verify: --report needs a verify; give it without --against-seal\n";
        return k_exit_usage;
    }
    if (overwrite && !seal && !report) {
        context.err
            << "bkcheck verify: --overwrite is for the seal or report file; give it with --seal or "
               "--report\n";
        return k_exit_usage;
    }
    std::optional<SealHash> seal_hash = SealHash::Xxh3_128;
    if (values->count("seal-hash")) {
        seal_hash = seal_hash_from_name((*values)["seal-hash"].as<std::string>());
        if (!seal || !seal_hash) {
            context.err << "bkcheck verify: --seal-hash is xxh3-128 or sha256, with --seal\n";
            return k_exit_usage;
        }
    }
    if (values->count("seal-file") && !seal && !against_seal) {
        context.err << "bkcheck verify: --seal-file names the seal of --seal or --against-seal; "
                       "give it with one of them\n";
        return k_exit_usage;
    }
    if (values->count("seal-of-renamed") && !against_seal) {
        context.err << "bkcheck verify: --seal-of-renamed is for --against-seal; give it with it\n";
        return k_exit_usage;
    }
    // --against-seal proves the bytes unchanged since a full verify; it decodes nothing. Run with
    // --deep it would either skip what --deep promises or be a second, slower verify in disguise:
    // refused, so a lab never reads "unchanged" as "decodes" (trial: --deep was silently ignored).
    if (against_seal && (seal || verify_options.read_data || verify_options.deep)) {
        context.err << "bkcheck verify: --against-seal replaces the other checks; give it without "
                       "--seal, --read-data or --deep (run verify --deep on its own to decode "
                       "the content)\n";
        return k_exit_usage;
    }
    verify_options.manifest_db.full_integrity_check = values->count("full-integrity-check") != 0;

    const FileSystem& file_system = real_file_system();
    auto backup = open_backup(file_system, backup_folder(*values));
    if (!backup) return report_error(backup.error(), context);
    fs::path seal_path = values->count("seal-file")
                             ? fs::path((*values)["seal-file"].as<std::string>())
                             : default_seal_path(backup->path);
    // Where the seal may be written is settled before any blob is read (check_output_file), so a
    // refused or mistyped --seal-file costs no hour-long read; a seal inside a backup is not read
    // either.
    Status claimable = seal           ? check_output_file(seal_path, seal_file_options(overwrite))
                       : against_seal ? check_outside_backups(file_system, seal_path)
                                      : Status(Ok{});
    if (!claimable) return report_error(claimable.error(), context);
    fs::path report_path = report ? normalized_path((*values)["report"].as<std::string>()) : "";
    if (report) {
        Status reportable = check_output_file(report_path, report_file_options(overwrite));
        if (!reportable) return report_error(reportable.error(), context);
    }
    // Shown, never judged: a backup being written is a state, and a fresh copy looks like one.
    std::optional<InUse> in_use = backup_in_use(file_system, *backup, now_seconds());
    if (against_seal) return run_seal_check(*values, *backup, in_use, seal_path, context);

    // The key derivation (seconds for real keybags) runs on its own thread while verify does the
    // checks that need no key; verify waits for it only when it reaches the index.
    std::future<Result<UnlockedKeys>> derivation;
    std::optional<Result<UnlockedKeys>> unlocked;
    auto unlock = unlock_if_needed(*values, *backup, {true, false}, context);
    if (!unlock) return report_error(unlock.error(), context);
    if (*unlock) {
        derivation = std::async(std::launch::async, std::move(**unlock));
        verify_options.unlock = [&]() -> Result<const ClassKeys*> {
            unlocked.emplace(derivation.get());
            if (!*unlocked) return unlocked->error();
            return (*unlocked)->class_keys.get();
        };
    }

    FindingSink sink(findings_cap(*values));
    TerminalProgress terminal_progress(context.err);
    share_context(verify_options, operation_context(*values, terminal_progress, context));
    SealRecorder seal_recorder(*seal_hash);
    if (seal) verify_options.seal = &seal_recorder;
    EvidenceRecorder evidence;
    if (report) verify_options.evidence = &evidence;
    std::int64_t started = now_seconds();
    auto result = verify_backup(file_system, *backup, verify_options, sink);
    if (!result) return report_error(result.error(), context);
    std::string report_written;
    if (report) {
        std::vector<std::string> command_line{"bkcheck", "verify"};
        command_line.insert(command_line.end(), args.begin(), args.end());
        VerifyReportRun run{BKCHECK_VERSION, command_line, started, now_seconds()};
        std::vector<EvidenceEntry> entries = evidence.take();
        Status written = write_verify_report(real_writable_file_system(), report_path, file_system,
                                             *backup, entries, *result, sink, run, overwrite);
        if (!written) return report_error(written.error(), context);
        report_written = "Report of " + count_of(entries.size(), "index entry", "index entries") +
                         " written to " + terminal_safe((*values)["report"].as<std::string>()) +
                         ".\n";
    }

    context.out << (json_requested(*values) ? render_verify_json(*backup, in_use, *result, sink)
                                            : render_verify_text(*backup, in_use, *result, sink,
                                                                 out_has_color(context)));
    (json_requested(*values) ? context.err : context.out) << report_written;
    int code =
        judged_exit(sink.count(Severity::Error) > 0, sink.count(finding_code::access_denied) > 0,
                    result->verdict == Verdict::Unchecked);
    if (!seal) return code;
    // In JSON mode stdout holds one object, so what happened to the seal goes to stderr.
    std::ostream& seal_out = json_requested(*values) ? context.err : context.out;
    if (std::string refusal = seal_refusal(verify_options, *result, sink); !refusal.empty()) {
        seal_out << render_not_sealed(refusal);
        // Not sealed is said with the verify's own code: 6 when it could not look at everything
        // (an encrypted backup without the password), 5 when this user may not read some of it, 1
        // when it found damage; 1 when the verify was sound but the seal still refused.
        return code != k_exit_ok ? code : k_exit_problems;
    }
    Seal made = seal_recorder.take(backup->folder_name, now_seconds());
    made.verdict = verdict_name(result->verdict);
    made.findings = sink.totals();
    Status written = write_seal(real_writable_file_system(), seal_path, made, overwrite);
    if (!written) return report_error(written.error(), context);
    seal_out << render_sealed(made, seal_path, backup->path, values->count("seal-file") != 0,
                              result->verdict);
    return code;
}

}  // namespace bkcheck::cli
