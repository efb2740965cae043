# Two backups share a folder and its quarantine. undo and purge given one backup act on that
# backup's runs only (trial: `undo A` undid C's repair and `purge --apply A` deleted C's run, its
# original Manifest.db gone for good); given the folder, on every run.
a=$("$MAKE_BACKUP" --out root --files 6 --seed 1 --damage orphan_blob) || exit 9
c=$("$MAKE_BACKUP" --out root --files 6 --seed 2 --damage blob_missing) || exit 9
"$BKCHECK" prune --apply "$a" >/dev/null; echo "prune $?"
"$BKCHECK" repair --apply "$c" >/dev/null; echo "repair $?"
"$BKCHECK" undo --list "$a" | grep -c -- '-prune-'
"$BKCHECK" undo --list "$a" | grep -c -- '-repair-' || true
"$BKCHECK" undo --list root | grep -c -- '-\(prune\|repair\)-'
"$BKCHECK" undo "$a" | sed 's/run [0-9-]*prune-[0-9a-f]*/run PRUNE/'; echo "undo $?"
"$BKCHECK" verify "$c" | tail -1
"$BKCHECK" purge --apply "$a" | sed -E 's/[0-9.]+ (KB|bytes)/SIZE/'; echo "purge $?"
"$BKCHECK" undo --list root | grep -c -- '-repair-.*applied'
"$BKCHECK" undo "$c" | sed 's/run [0-9-]*repair-[0-9a-f]*/run REPAIR/'; echo "undo $?"
