# repair previews, applies (verify then says ok), and undo restores every byte.
cp -r "$TESTDATA"/backups/damaged-ios17 root
dir=$(ls -d root/*/)
before=$(cd root && find . -type f | sort | xargs sha1sum)
"$BKCHECK" repair "$dir" >/dev/null; echo "preview exit $?"
"$BKCHECK" repair --apply "$dir"
"$BKCHECK" undo root >/dev/null || exit 9
after=$(cd root && find . -path ./.bkcheck-quarantine -prune -o -type f -print | sort | xargs sha1sum)
[ "$before" = "$after" ] && echo "undo: identical"
