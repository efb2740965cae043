# An encrypted backup with an interrupted session's Snapshot/ folder, repaired without the password:
# the plan moves Snapshot/ aside, and repair still says that the index was not examined (a plan
# beside it must not read as "everything else is fine").
dir=$("$MAKE_BACKUP" --out root --encrypted --files 8 --damage snapshot_dir_present) || exit 9
find "$dir" -exec touch -h -d '2 hours ago' {} +
"$BKCHECK" repair --no-password "$dir" </dev/null | grep -E '^(Not examined|Plan|  remove_snapshot_dir)' | sed 's/:.*//; s/  (.*//'
echo "repair exit ${PIPESTATUS[0]}"
