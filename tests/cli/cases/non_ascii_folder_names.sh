# A backup in folders named past ASCII (a user folder "José", a Japanese name): the messages, the
# JSON and the commands printed name them as typed, and repair -> undo works from inside the folder.
# On Windows bkcheck once printed "JosÃ©" (a path built from UTF-8 text, printed with path.string()),
# and a path completed with the current folder mixed two encodings; this case runs there under Wine.
. "$CLI_TOOLS"
root="Sauvegardes de José 日本"
mkdir "$root" && cp -r "$TESTDATA"/backups/damaged-ios17/. "$root"/
udid=$(ls "$root")
before=$(file_sums "$root")
"$BKCHECK" verify "$root/$udid" | grep "what to do: bkcheck repair"
"$BKCHECK" verify --json "$root/$udid" | grep -m1 '"path"'
cd "$root" || exit 9
"$BKCHECK" repair --apply "$udid" | grep -E "^(Applied|To put everything back)"
"$BKCHECK" verify "$udid" | grep "^Verdict"
"$BKCHECK" undo . | sed 's/run [0-9a-z-]*:/run RUN:/'
cd .. || exit 9
after=$(file_sums "$root" .bkcheck-quarantine)
[ "$before" = "$after" ] && echo "undo: identical"
