# A repair --apply stopped midway leaves its journal saying "applying". verify and doctor of the
# half-repaired backup say so and name the undo command with the real path of the folder of backups
# (here reached through a symlink); the command they print puts it back. (The kill is simulated by
# setting the journal back to applying; the unit tests kill apply_plan at every step.)
. "$CLI_TOOLS"
dir=$("$MAKE_BACKUP" --out root --files 10 --damage blob_missing) || exit 9
name=$(basename "$dir")
"$BKCHECK" repair --apply "$dir" >/dev/null
journal=$(ls root/.bkcheck-quarantine/*/journal.plist)
run=$(basename "$(dirname "$journal")")
sed_in_place 's|<string>applied</string>|<string>applying</string>|' "$journal"
ln -s root link
real=$(abs_path root)
"$BKCHECK" verify "link/$name" >out; echo "verify exit $?"
grep -c "bkcheck undo $real $run" out
grep -o 'error change.unfinished (1)' out
# Another finding beside it is to be answered by the undo first, not by its own remedy.
mv "$dir/Info.plist" info.plist.aside
"$BKCHECK" verify "$dir" | grep -c "what to do: first put back the stopped bkcheck run (change.unfinished): bkcheck undo [^ ]*root $run"
mv info.plist.aside "$dir/Info.plist"
"$BKCHECK" doctor link >out; echo "doctor exit $?"
grep -o '\[change.unfinished\]' out
grep -c "fix:  bkcheck undo $real $run" out
"$BKCHECK" repair --apply "$dir" >repair.out 2>&1; echo "repair exit $?"
grep -o 'change.unfinished: an earlier bkcheck run on this backup was stopped midway' repair.out
eval "$(grep -o "bkcheck undo $real $run" out | head -1 | sed "s|^bkcheck|\"\$BKCHECK\"|")" >/dev/null; echo "undo exit $?"
"$BKCHECK" verify "$dir" | grep -c change.unfinished; true
