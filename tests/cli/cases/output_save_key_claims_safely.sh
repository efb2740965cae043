# unlock --save-key claims FILE safely (issue 18.3): an existing file bkcheck did not write is kept
# (exit 2, named, with the way out); a leftover <FILE>.bkcheck-tmp that another user created and
# holds open is never reused nor touched (the key goes to a new file of ours, 0600); a symlink at
# FILE is refused and what it points to is unchanged; a key file of ours is replaced; --overwrite
# replaces any other regular file.
. "$CLI_TOOLS"
dir=$(ls -d "$TESTDATA"/backups/encrypted-ios17/*/)
export BKCHECK_PASSWORD=bkcheck-demo
echo "my notes" > notes
"$BKCHECK" unlock --save-key notes "$dir" 2>&1; echo "existing: exit $?, $(cat notes)"
# The trial: the temporary name the old code reused, planted by another user and kept open.
touch key.bkcheck-tmp && chmod 666 key.bkcheck-tmp
[ "$(id -u)" = 0 ] && chown nobody key.bkcheck-tmp
exec 3<key.bkcheck-tmp
"$BKCHECK" unlock --save-key key "$dir" >/dev/null; echo "leftover: exit $?"
[ "$(file_uid key)" = "$(id -u)" ] && echo "key: mine, $(file_mode key), $(wc -c < key) bytes"
echo "leftover: $(file_mode key.bkcheck-tmp), $(wc -c < key.bkcheck-tmp) bytes; its holder read $(wc -c <&3) bytes"
exec 3<&-
"$BKCHECK" unlock --save-key key "$dir" >/dev/null; echo "own key again: exit $?"
ln -s notes link
"$BKCHECK" unlock --overwrite --save-key link "$dir" 2>&1; echo "symlink: exit $?, $(cat notes)"
"$BKCHECK" unlock --overwrite --save-key notes "$dir" >/dev/null; echo "--overwrite: exit $?, $(file_mode notes), $(wc -c < notes) bytes"
"$BKCHECK" unlock --overwrite "$dir" 2>&1; echo "--overwrite alone: exit $?"
ls -A | grep -vx "\.stdout\|\.stderr"  # no temporary left behind
