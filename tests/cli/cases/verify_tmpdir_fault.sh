# Verify applies a Manifest.db's -wal in memory: a TMPDIR that is missing or not a folder changes
# nothing (exit 0, nothing unreadable, no word about TMPDIR), for verify and doctor alike.
dir=$("$MAKE_BACKUP" --out root --files 10 --damage wal_committed_rows) || exit 9
touch a-file
for tmp in no-such-tmp a-file; do
  TMPDIR=$PWD/$tmp "$BKCHECK" verify "$dir" >out 2>err; echo "verify $tmp: exit $? $(grep -c unreadable out) $(grep -c TMPDIR err)"
  TMPDIR=$PWD/$tmp "$BKCHECK" doctor root >out 2>err; echo "doctor $tmp: exit $? $(grep -c "bkcheck repair" out) $(grep -c TMPDIR err)"
done
"$BKCHECK" verify "$dir" >/dev/null; echo "verify with a usable TMPDIR: exit $?"
