# The undo and purge commands that prune --apply prints work when pasted as they are, also when the
# folder of backups has a space in its name (the undo line was printed unquoted and failed).
dir=$("$MAKE_BACKUP" --out 'my backups' --files 6 --damage orphan_blob --seed 4) || exit 9
find "$dir" -exec touch -h -d '2 hours ago' {} +
"$BKCHECK" prune --apply 'my backups' >out.txt || true
undo=$(sed -n 's/^To put everything back: //p' out.txt)
echo "undo line: ${undo:+present}"
eval "\"\$BKCHECK\" ${undo#bkcheck }" >/dev/null; echo "undo exit $?"
"$BKCHECK" prune --apply 'my backups' >out.txt || true
purge=$(sed -n 's/^To free the .* (then nothing can be put back): //p' out.txt)
eval "\"\$BKCHECK\" ${purge#bkcheck }" >/dev/null; echo "purge exit $?"
