# verify --seal --seal-file claims its path like a key file (issue 18.3): an unrelated file is kept
# (exit 2, before any blob is read), an earlier seal is replaced, a symlink is refused and what it
# points to is unchanged, --overwrite replaces any other regular file, a path in another backup is
# refused too.
. "$CLI_TOOLS"
dir=$(ls -d "$TESTDATA"/backups/plain-ios17/*/)
echo "my notes" > notes
"$BKCHECK" verify --read-data --seal --seal-file notes "$dir" 2>&1; echo "unrelated: exit $?, $(cat notes)"
"$BKCHECK" verify --read-data --seal --seal-file s "$dir" >/dev/null; echo "new: exit $?, $(head -n 1 s), $(file_mode s)"
"$BKCHECK" verify --read-data --seal --seal-file s "$dir" >/dev/null; echo "earlier seal: exit $?"
ln -s notes link
"$BKCHECK" verify --read-data --seal --overwrite --seal-file link "$dir" 2>&1; echo "symlink: exit $?, $(cat notes)"
"$BKCHECK" verify --read-data --seal --overwrite --seal-file notes "$dir" >/dev/null; echo "--overwrite: exit $?, $(head -n 1 notes)"
"$BKCHECK" verify --overwrite "$dir" 2>&1; echo "--overwrite without --seal: exit $?"
mkdir other && cp -r "$TESTDATA"/backups/plain-ios9/* other/
"$BKCHECK" verify --read-data --seal --seal-file other/3140c4b7d3e6bc3df24ab1fb07139f86bef32641/x.seal "$dir" 2>&1
echo "in another backup: exit $?"
ls -A | grep -vx "\.stdout\|\.stderr"  # no temporary left behind
# --seal-file alone seals nothing: refused as a usage error, not silently ignored.
"$BKCHECK" verify --seal-file lonely.seal "$TESTDATA"/backups/plain-ios17/*/ >/dev/null 2>&1; echo "seal-file alone: exit $?"
