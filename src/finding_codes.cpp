// The catalogue of finding codes. Codes are never renamed once released; the README's table of
// findings mirrors this one, and a test checks every code here has a remedy.
#include "bkcheck/findings.h"

#include <algorithm>
#include <cassert>

namespace bkcheck {
namespace {

constexpr std::string_view k_run_repair = "bkcheck repair <dir> (preview), then add --apply";
constexpr std::string_view k_run_prune = "bkcheck prune <dir> (preview), then add --apply";
constexpr std::string_view k_new_backup =
    "make a new backup of the device; if it fails, bkcheck repair <dir> --force-full";

constexpr std::string_view k_seal_changed =
    "if a backup ran since the seal, this is expected: bkcheck verify --read-data --seal <dir> again; if not, "
    "the disk or someone changed it: bkcheck verify --read-data <dir> says whether it still restores";

const std::vector<FindingKind> k_kinds = {
    {"info_plist.missing", Severity::Error, "bkcheck repair <dir> rebuilds Info.plist from Manifest.plist"},
    {"info_plist.unreadable", Severity::Error, "bkcheck repair <dir> rebuilds Info.plist from Manifest.plist"},
    {"info_plist.incomplete", Severity::Warning, "bkcheck repair <dir> rebuilds Info.plist from Manifest.plist"},
    {"status_plist.missing", Severity::Error, k_new_backup},
    {"status_plist.unreadable", Severity::Error, k_new_backup},
    {"manifest_plist.missing", Severity::Error, k_new_backup},
    {"manifest_plist.unreadable", Severity::Error, k_new_backup},
    {"status.unfinished", Severity::Error, k_new_backup},
    {"snapshot_dir.present", Severity::Error, k_run_prune},
    {"manifest.missing", Severity::Error, k_new_backup},
    {"manifest.unreadable", Severity::Error, k_run_repair},
    {"manifest.empty", Severity::Error,
     "keep every blob (do not prune: the data is still there, the index lost its rows); restore Manifest.db from a "
     "copy, or make a new full backup (bkcheck repair --force-full <dir>)"},
    {"manifest.salvaged", Severity::Warning,
     "nothing more for this run (it used every row that survives); bkcheck repair <dir> rebuilds the index from them"},
    {"manifest.encrypted", Severity::Warning, "bkcheck verify <dir> with the backup password (BKCHECK_PASSWORD, --password-file or the prompt)"},
    {"manifest.key_unwrap_failed", Severity::Error, k_run_repair},
    {"manifest.wal_present", Severity::Info, "nothing: bkcheck reads the committed rows of Manifest.db-wal"},
    {"change.unfinished", Severity::Error,
     "bkcheck undo ROOT RUN as the message says (it puts back what the stopped run moved), then verify again"},
    {"identity.mismatch", Severity::Error, "check that this folder holds one device's backup; bkcheck info <dir>"},
    {"folder.name_mismatch", Severity::Info, "nothing: renamed backup folders restore fine"},
    {"record.file_id_mismatch", Severity::Error, k_run_repair},
    {"record.unreadable", Severity::Error, k_run_repair},
    {"record.mode_type_missing", Severity::Error, k_run_repair},
    {"record.duplicate", Severity::Error, k_run_repair},
    {"record.unsafe_path", Severity::Error,
     "bkcheck repair <dir> (preview), then add --apply: it drops these records; do not restore the backup before"},
    {"blob.missing", Severity::Error, k_run_repair},
    {"blob.misplaced", Severity::Error, k_run_repair},
    {"blob.size_mismatch", Severity::Error, k_run_repair},
    {"blob.size_unverified", Severity::Warning, "bkcheck verify --read-data <dir> with the password checks the content"},
    {"blob.size_changed", Severity::Warning, "nothing: the file changed while the backup ran; its content is intact"},
    {"blob.padding_invalid", Severity::Error, k_run_repair},
    {"blob.key_unwrap_failed", Severity::Error, k_run_repair},
    {"blob.digest_mismatch", Severity::Error, k_run_repair},
    {"access.denied", Severity::Warning,
     "this user may not read it (permissions): that is not damage, and nothing is repaired or removed for it; run "
     "bkcheck as a user who may read the backup (ls -l shows the owner), then verify again"},
    {"blob.unreadable", Severity::Error, "check the disk (permissions, I/O errors), then bkcheck verify <dir> again"},
    {"blob.link", Severity::Error,
     "no bkcheck command changes a link or anything behind it (it may lead into another backup). If what it points "
     "to is this backup's own content, replace the link with a real copy: rm <dir>/NAME (the link itself: no "
     "trailing /), then cp -a TARGET <dir>/NAME (NAME and TARGET as above; a relative TARGET is relative to "
     "<dir>); otherwise only remove the link. Then bkcheck verify <dir> again"},
    {"orphan.blob", Severity::Warning, k_run_prune},
    {"orphan.entry", Severity::Warning, k_run_prune},
    {"extract.unsafe_name", Severity::Error,
     "nothing: bkcheck never writes a name that could leave the output folder; the record is hostile or damaged"},
    {"extract.symlink_outside", Severity::Warning,
     "nothing: a symlink is only written when its target stays inside the output folder"},
    {"extract.exists", Severity::Warning, "add --overwrite to replace it, or extract into an empty folder"},
    {"extract.not_written", Severity::Error, "see the message: the path walks through a symlink or a file, or has no content"},
    {"extract.damaged_written", Severity::Warning, "nothing: written as asked (--keep-damaged); do not trust its content"},
    {"export.size_fixed", Severity::Info, "nothing: the exported record holds the real size"},
    {"seal.changed", Severity::Error, k_seal_changed},
    {"seal.missing", Severity::Error, k_seal_changed},
    {"seal.unsealed", Severity::Warning, k_seal_changed},
};

}  // namespace

const std::vector<FindingKind>& all_finding_kinds()
{
    return k_kinds;
}

const FindingKind& finding_kind(std::string_view code)
{
    auto it = std::find_if(k_kinds.begin(), k_kinds.end(), [&](const FindingKind& kind) { return kind.code == code; });
    assert(it != k_kinds.end() && "finding code missing from the catalogue");
    if (it == k_kinds.end()) {
        static const FindingKind unknown{"internal.unknown_code", Severity::Error, "report this as a bug"};
        return unknown;
    }
    return *it;
}

}  // namespace bkcheck
