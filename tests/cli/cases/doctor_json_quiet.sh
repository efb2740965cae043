# doctor --json is one object; --quiet prints nothing and keeps the exit code; NO_COLOR output is plain.
mkdir backups
"$MAKE_BACKUP" --out backups --files 5 >/dev/null
"$BKCHECK" doctor --json backups
"$BKCHECK" --quiet doctor backups; echo "quiet exit $?"
"$MAKE_BACKUP" --out backups --files 5 --seed 2 --damage blob_missing >/dev/null
"$BKCHECK" doctor -q backups; echo "quiet exit $?"
