# A backup whose last session was interrupted: incomplete, exit 1, the Snapshot folder named.
dir=$("$MAKE_BACKUP" --out . --files 5 --damage snapshot_dir_present)
"$BKCHECK" verify "$dir"
