// The catalogue of finding codes. Codes are never renamed once released; the README's table of
// findings mirrors this one, and a test checks every code here has a remedy.
#include "bkcheck/findings.h"

#include <algorithm>
#include <cassert>

namespace bkcheck {
namespace {

// Remedies and fixes use the placeholders of findings.h ({backup}, {root}, {entry}); resolve_remedy
// (findings.h) fills them in. A fix is given only where running it closes the finding (a test runs
// each one over every damage the test-backup generator makes and verifies again).
constexpr std::string_view k_repair_words =
    "bkcheck repair {backup} shows the plan; bkcheck repair --apply {backup} carries it out";
constexpr std::string_view k_repair_fix = "repair --apply {backup}";
constexpr std::string_view k_prune_words =
    "bkcheck prune {backup} shows the plan; bkcheck prune --apply {backup} carries it out";
constexpr std::string_view k_prune_fix = "prune --apply {backup}";
constexpr std::string_view k_rebuild_info =
    "bkcheck repair --apply {backup} rebuilds Info.plist from Manifest.plist (bkcheck repair "
    "{backup} shows the plan first)";
constexpr std::string_view k_new_status =
    "bkcheck repair --apply {backup} writes a finished Status.plist when a full verify proves the "
    "rest of the "
    "backup sound (an encrypted backup needs its password); if repair says it cannot, make a new "
    "backup of the device";
constexpr std::string_view k_no_keybag =
    "no bkcheck command can rebuild Manifest.plist (it holds the device's keys): make a new backup "
    "of the device; if "
    "that fails on this folder, bkcheck repair --force-full --apply {backup} moves the index aside "
    "so the next "
    "backup is a full one";
constexpr std::string_view k_no_index =
    "no bkcheck command can rebuild a missing index, and without it nothing here can be restored: "
    "make a new backup "
    "of the device; if that fails on this folder, bkcheck repair --force-full --apply {backup} "
    "clears the way for a "
    "full one";
constexpr std::string_view k_seal_changed =
    "no bkcheck command can tell who changed it: if a backup ran since the seal this is expected, "
    "and bkcheck verify "
    "--read-data --seal {backup} seals it again; if not, the disk or someone changed it: bkcheck "
    "verify --read-data "
    "{backup} says whether it still restores";

const std::vector<FindingKind> k_kinds = {
    {finding_code::info_plist_missing, Severity::Error, k_rebuild_info, k_repair_fix},
    {finding_code::info_plist_unreadable, Severity::Error, k_rebuild_info, k_repair_fix},
    {finding_code::info_plist_incomplete, Severity::Warning, k_rebuild_info, k_repair_fix},
    {finding_code::status_plist_missing, Severity::Error, k_new_status, k_repair_fix},
    {finding_code::status_plist_unreadable, Severity::Error, k_new_status, k_repair_fix},
    {finding_code::manifest_plist_missing, Severity::Error, k_no_keybag, ""},
    {finding_code::manifest_plist_unreadable, Severity::Error, k_no_keybag, ""},
    {finding_code::status_unfinished, Severity::Error, k_new_status, k_repair_fix},
    {finding_code::snapshot_dir_present, Severity::Error, k_prune_words, k_prune_fix},
    {finding_code::manifest_missing, Severity::Error, k_no_index, ""},
    {finding_code::manifest_unreadable, Severity::Error,
     "bkcheck repair --apply {backup} rebuilds the index from every row that can still be read "
     "(bkcheck repair "
     "{backup} shows the plan first)",
     k_repair_fix},
    {finding_code::manifest_empty, Severity::Error,
     "no bkcheck command can bring back the lost rows: keep every blob (do not prune: the data is "
     "still there, the "
     "index lost its rows); restore Manifest.db from a copy, or make a new full backup of the "
     "device",
     ""},
    {finding_code::manifest_salvaged, Severity::Warning,
     "bkcheck repair --apply {backup} rebuilds the index from the rows that survive", k_repair_fix},
    {finding_code::manifest_encrypted, Severity::Warning,
     "bkcheck verify {backup} with the backup password (from BKCHECK_PASSWORD, --password-file or "
     "the prompt)",
     "verify {backup}"},
    {finding_code::manifest_key_unwrap_failed, Severity::Error,
     "no bkcheck command can: the key of Manifest.db does not match the keybag in Manifest.plist, "
     "so the index can "
     "be neither read nor rebuilt; make a new backup of the device (bkcheck repair --force-full "
     "--apply {backup} "
     "clears the way if it fails)",
     ""},
    {finding_code::manifest_wal_present, Severity::Info,
     "nothing: bkcheck reads the committed rows of Manifest.db-wal", ""},
    // Each finding of this code carries its own fix: the undo command of the stopped run.
    {finding_code::change_unfinished, Severity::Error,
     "bkcheck undo as the message says, then verify again", ""},
    {finding_code::identity_mismatch, Severity::Error,
     "no bkcheck command can know which device is right: check that this folder holds one device's "
     "backup "
     "(bkcheck info {backup}); if it does not, make a new backup of the device",
     ""},
    {finding_code::folder_name_mismatch, Severity::Info,
     "nothing: renamed backup folders restore fine", ""},
    {finding_code::record_file_id_mismatch, Severity::Error, k_repair_words, k_repair_fix},
    {finding_code::record_unreadable, Severity::Error, k_repair_words, k_repair_fix},
    {finding_code::record_mode_type_missing, Severity::Error, k_repair_words, k_repair_fix},
    {finding_code::record_duplicate, Severity::Error, k_repair_words, k_repair_fix},
    {finding_code::record_unsafe_path, Severity::Error,
     "bkcheck repair --apply {backup} drops these records (bkcheck repair {backup} shows the plan "
     "first); do not "
     "restore the backup before",
     k_repair_fix},
    {finding_code::blob_missing, Severity::Error, k_repair_words, k_repair_fix},
    {finding_code::blob_misplaced, Severity::Error, k_repair_words, k_repair_fix},
    {finding_code::blob_size_mismatch, Severity::Error, k_repair_words, k_repair_fix},
    {finding_code::blob_size_unverified, Severity::Warning,
     "bkcheck verify --read-data {backup} with the password checks the content",
     "verify --read-data {backup}"},
    {finding_code::blob_size_changed, Severity::Warning,
     "nothing: the file changed while the backup ran; its content is intact", ""},
    {finding_code::blob_padding_invalid, Severity::Error, k_repair_words, k_repair_fix},
    {finding_code::blob_key_unwrap_failed, Severity::Error, k_repair_words, k_repair_fix},
    {finding_code::blob_digest_mismatch, Severity::Error, k_repair_words, k_repair_fix},
    // Content findings (verify --deep): the blob is what the phone had (or nothing says it is
    // not), but what it holds does not decode. No bkcheck command can rebuild an app's data, and
    // dropping the record would lose what is still readable, so these have no fix.
    {finding_code::content_sqlite_corrupt, Severity::Error,
     "no bkcheck command can rebuild a database: a restore brings it back damaged, and the app "
     "that owns it may lose some or all of its data (messages, notes...) or rebuild it empty; "
     "make a new backup of the device while it still works, and keep this one",
     ""},
    {finding_code::content_plist_unreadable, Severity::Error,
     "no bkcheck command can rebuild a property list: a restore brings it back unreadable, and "
     "the app or setting that owns it starts from its defaults; make a new backup of the device "
     "while it still works, and keep this one",
     ""},
    {finding_code::content_media_truncated, Severity::Error,
     "no bkcheck command can bring back the missing part: a restore brings the photo or video "
     "back cut short (it may not open, or stop early); copy it from another backup or from "
     "iCloud if you have one",
     ""},
    {finding_code::content_media_corrupt, Severity::Error,
     "no bkcheck command can rebuild a photo or video: a restore brings it back damaged (it may "
     "not open, or show garbage); copy it from another backup or from iCloud if you have one",
     ""},
    {finding_code::content_type_mismatch, Severity::Warning,
     "when the content is another known type, nothing: it was checked for what it is (apps "
     "name files loosely); when the message says the signature is gone, the file's start is "
     "likely damaged: if it matters, open it from the device or another backup before relying "
     "on this one",
     ""},
    {finding_code::access_denied, Severity::Warning,
     "no bkcheck command changes permissions: this user may not read it, which is not damage, and "
     "nothing is "
     "repaired or removed for it; run bkcheck as a user who may read the backup (ls -l in {backup} "
     "shows who owns "
     "the file named), then bkcheck verify {backup} again",
     ""},
    {finding_code::blob_unreadable, Severity::Error,
     "no bkcheck command can fix the disk: check it (I/O errors in the system log), then bkcheck "
     "verify {backup} "
     "again",
     ""},
    {finding_code::blob_link, Severity::Error,
     "no bkcheck command changes a link or anything behind it (it may lead into another backup). "
     "If what it points "
     "to is this backup's own content, replace the link with a real copy: rm {entry} (the link "
     "itself: no trailing "
     "/), then cp -a TARGET {entry} (TARGET as above; a relative TARGET is relative to the link's "
     "folder); "
     "otherwise only remove the link. Then bkcheck verify {backup} again",
     ""},
    {finding_code::orphan_blob, Severity::Warning,
     "bkcheck prune --apply {backup} moves them into the quarantine (bkcheck prune {backup} shows "
     "the plan first; "
     "an encrypted backup needs its password in BKCHECK_PASSWORD or --password-file)",
     k_prune_fix},
    {finding_code::orphan_entry, Severity::Warning,
     "no bkcheck command moves it: it is in no backup's way, and it may be yours. If it is not, "
     "move {entry} out of "
     "the backup folder",
     ""},
    {finding_code::extract_unsafe_name, Severity::Error,
     "nothing: bkcheck never writes a name that could leave the output folder; the record is "
     "hostile or damaged",
     ""},
    {finding_code::extract_symlink_outside, Severity::Warning,
     "nothing: a symlink is only written when its target stays inside the output folder", ""},
    {finding_code::extract_exists, Severity::Warning,
     "add --overwrite to replace it, or extract into an empty folder", ""},
    {finding_code::extract_not_written, Severity::Error,
     "see the message: the path walks through a symlink or a file, or has no content", ""},
    {finding_code::extract_damaged_written, Severity::Warning,
     "nothing: written as asked (--keep-damaged); do not trust its content", ""},
    {finding_code::export_size_fixed, Severity::Info,
     "nothing: the exported record holds the real size", ""},
    {finding_code::name_renamed, Severity::Info,
     "nothing: the disk refuses or would merge the name as it is, so it was written as "
     "written_as says (README: Names on other disks); copy it back under its original name "
     "where the disk allows",
     ""},
    {finding_code::seal_changed, Severity::Error, k_seal_changed, ""},
    {finding_code::seal_missing, Severity::Error, k_seal_changed, ""},
    {finding_code::seal_unsealed, Severity::Warning, k_seal_changed, ""},
};

}  // namespace

const std::vector<FindingKind>& all_finding_kinds()
{
    return k_kinds;
}

const FindingKind& finding_kind(std::string_view code)
{
    auto it = std::find_if(k_kinds.begin(), k_kinds.end(),
                           [&](const FindingKind& kind) { return kind.code == code; });
    assert(it != k_kinds.end() && "finding code missing from the catalogue");
    if (it == k_kinds.end()) {
        static const FindingKind unknown{"internal.unknown_code", Severity::Error,
                                         "report this as a bug", ""};
        return unknown;
    }
    return *it;
}

}  // namespace bkcheck
