# undo and purge say what they did with the exit codes every verb uses: nothing to undo is not an
# error (0, on stdout), also for a run named that is already undone; a run id that is not there is
# a typing error (2); a file, or a folder with neither a backup nor a quarantine, is not a folder
# of backups (3); a path that does not exist is 5; purge's preview exits 1 when it would delete
# something (as prune's does) and 0 when there is nothing.
cp -r "$TESTDATA"/backups/damaged-ios17 root
"$BKCHECK" undo root; echo "undo, no runs: exit $?"
"$BKCHECK" purge root; echo "purge, no runs: exit $?"
"$BKCHECK" undo root 20990101-000000-repair-zzzz 2>&1; echo "undo, unknown run: exit $?"
touch afile
"$BKCHECK" undo afile 2>&1; echo "undo, a file: exit $?"
"$BKCHECK" purge afile 2>&1; echo "purge, a file: exit $?"
"$BKCHECK" undo nowhere 2>&1; echo "undo, missing: exit $?"
mkdir empty
"$BKCHECK" undo empty 2>&1; echo "undo, a folder with no backup and no quarantine: exit $?"
"$BKCHECK" prune --apply root >/dev/null
"$BKCHECK" purge root >/dev/null; echo "purge preview, one run: exit $?"
"$BKCHECK" undo root >/dev/null; echo "undo: exit $?"
"$BKCHECK" undo root; echo "undo again: exit $?"
run=$("$BKCHECK" undo root --list | head -1 | cut -d' ' -f1)
"$BKCHECK" undo root "$run"; echo "undo of that run by name: exit $?"
exit 0
