# "My backup failed": doctor names the interrupted backup and the prune command that fixes it; exit 1.
mkdir backups
"$MAKE_BACKUP" --out backups --files 5 --damage snapshot_dir_present >/dev/null
"$BKCHECK" doctor backups
