# An encrypted backup whose session did not finish and that lost a blob, repaired without the
# password: the index was not examined, which repair says (never "Nothing to repair", which would
# hide the lost blob); exit 1 for the unfinished session it did see.
dir=$("$MAKE_BACKUP" --out root --encrypted --files 10 --damage status_unfinished --damage blob_missing) || exit 9
find "$dir" -exec touch -h -d '2 hours ago' {} +
"$BKCHECK" repair --apply "$dir" </dev/null | grep -E '^Not examined|Nothing to repair'
echo "repair exit ${PIPESTATUS[0]}"
