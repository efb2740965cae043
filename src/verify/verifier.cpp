// verify_backup orders the steps of verify_steps.h and turns their findings into a verdict.
#include "bkcheck/verifier.h"
#include "bkcheck/findings.h"

#include "bkcheck/path_text.h"
#include "verify_steps.h"

#include <algorithm>

namespace bkcheck {
namespace {

Verdict verdict_from(const FindingSink& sink, bool index_read, const VerifyCounts& counts)
{
    // Without an index nothing can be restored, whatever else is wrong.
    if (!index_read &&
        sink.count(finding_code::manifest_encrypted) + sink.count(finding_code::access_denied) == 0)
        return Verdict::Unreadable;
    if (sink.count(finding_code::manifest_plist_missing) +
            sink.count(finding_code::manifest_plist_unreadable) +
            sink.count(finding_code::manifest_empty) >
        0) {
        return Verdict::Unreadable;
    }
    if (sink.count(finding_code::status_unfinished) +
            sink.count(finding_code::snapshot_dir_present) >
        0)
        return Verdict::Incomplete;
    if (sink.count(Severity::Error) > 0) return Verdict::Damaged;
    // Nothing wrong in what was looked at, but not everything was: say so, never "ok".
    if (!index_read || counts.levels.not_checked > 0 || sink.count(finding_code::access_denied) > 0)
        return Verdict::Unchecked;
    return Verdict::Ok;
}

}  // namespace

const char* verdict_name(Verdict verdict)
{
    switch (verdict) {
        case Verdict::Ok:
            return "ok";
        case Verdict::Damaged:
            return "damaged";
        case Verdict::Incomplete:
            return "incomplete";
        case Verdict::Unreadable:
            return "unreadable";
        case Verdict::Unchecked:
            return "unchecked";
    }
    return "unreadable";
}

std::string seal_refusal(const VerifyOptions& options, const VerifyResult& result,
                         const FindingSink& sink)
{
    if (!options.read_data || options.read_fraction < 1.0 || options.seal == nullptr) {
        return "a seal needs every blob read: --read-data, without a subset";
    }
    if (sink.count(finding_code::manifest_encrypted) > 0) {
        return "the index is encrypted and no password was given, so the blobs it lists could not "
               "be read";
    }
    // A damaged backup is sealed as it is, its verdict and findings in the seal; but what was not
    // read cannot be: an index that could not be read names no blob, and a file this user may not
    // read has no hash.
    if (!result.counts.index_examined) {
        return "the index could not be read, so the blobs it lists were not read (see above)";
    }
    if (sink.count(finding_code::access_denied) > 0) {
        return "this user may not read some files (access.denied above), so they could not be "
               "sealed";
    }
    return "";
}

Result<VerifyResult> verify_backup(const FileSystem& file_system, const Backup& backup,
                                   const VerifyOptions& asked, FindingSink& sink)
{
    Progress& progress = asked.reporter();
    VerifyOptions options = asked;
    options.read_data = options.read_data || options.deep;  // decoding reads the content
    if (backup.format == BackupFormat::LegacyUnsupported) {
        return make_error(
            ErrorCode::Unsupported, path_text(backup.path),
            "a backup from iOS 4 or older (Manifest.mbdx or .mdinfo files): not supported");
    }
    detail::check_plists(backup, sink);
    detail::check_completion(backup, sink);
    detail::check_identity(backup, sink);
    detail::check_unfinished_changes(file_system, backup, sink);

    VerifyResult result;
    // Sizes (a stat per blob) only for --read-data, where they are the progress bar's total.
    detail::BlobTree tree = detail::scan_blob_tree(file_system, backup, options.read_data, sink);
    // Only now wait for the keys: the checks above ran while the caller derived them.
    const ClassKeys* keys = nullptr;
    if (backup.encrypted && options.unlock) {
        auto unlocked = options.unlock();
        if (!unlocked) return std::move(unlocked).error();
        keys = *unlocked;
    }
    // Reading only named blobs (repair's check after its changes), the share of bytes is not
    // known up front: the display counts without a total.
    std::uint64_t total = options.read_data && options.read_only == nullptr
                              ? static_cast<std::uint64_t>(static_cast<double>(tree.blob_bytes) *
                                                           std::min(1.0, options.read_fraction))
                              : 0;
    progress.start(options.read_data ? "reading blobs" : "checking blobs", total);
    bool index_read = false;
    Status checked = detail::check_index_and_blobs(file_system, backup, options, keys, tree, sink,
                                                   result.counts, progress, index_read);
    progress.finish();
    if (!checked) return std::move(checked).error();
    if (options.seal != nullptr && index_read) {
        Status sealed = seal_index_files(file_system, backup, *options.seal);
        if (!sealed) return std::move(sealed).error();
    }
    detail::settle_remedies(sink);
    result.counts.index_examined = index_read;
    result.counts.blobs_found = tree.entries.size();
    result.counts.deep = options.deep;
    result.verdict = verdict_from(sink, index_read, result.counts);
    return result;
}

}  // namespace bkcheck
