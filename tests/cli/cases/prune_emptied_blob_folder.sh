# A blob folder that holds only orphans is moved aside whole in the same run, so a second prune finds
# nothing (before: the first run left the folder empty and the second planned remove_empty_folders).
# Apple's backups have only the blob folders in use, so an empty one is no part of a backup (format.md).
# Undo puts the folder and its blobs back as they were.
. "$CLI_TOOLS"
dir=$("$MAKE_BACKUP" --out root --files 10 --damage orphan_blob) || exit 9
before=$(file_sums root)
"$BKCHECK" prune root --apply | grep -E '^  [a-z_]+  |^      - '
"$BKCHECK" prune root; echo "second prune exit $?"
"$BKCHECK" undo root >/dev/null && [ "$(file_sums root .bkcheck-quarantine)" = "$before" ] && echo "undo: as before"
