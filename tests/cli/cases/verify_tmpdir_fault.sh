# Verify copies a Manifest.db with a -wal to TMPDIR. When TMPDIR cannot take it (missing, not a
# folder), that is this machine's fault: exit 5 naming TMPDIR, never "unreadable" or a repair.
dir=$("$MAKE_BACKUP" --out root --files 10 --damage wal_committed_rows) || exit 9
touch a-file
for tmp in no-such-tmp a-file; do
  TMPDIR=$PWD/$tmp "$BKCHECK" verify "$dir" >out 2>err; echo "verify $tmp: exit $? $(grep -c unreadable out) $(grep -c TMPDIR err)"
  TMPDIR=$PWD/$tmp "$BKCHECK" doctor root >out 2>err; echo "doctor $tmp: exit $? $(grep -c repair out) $(grep -c TMPDIR err)"
done
"$BKCHECK" verify "$dir" >/dev/null; echo "verify with a usable TMPDIR: exit $?"
