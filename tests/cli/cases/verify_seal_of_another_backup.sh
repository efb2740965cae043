# verify --against-seal with the seal of another backup folder is refused before any file is read
# (exit 2: the seal given does not belong to the backup given), naming both folders (before: accepted
# silently, and every file read as changed or missing). --seal-of-renamed accepts it, for a folder
# renamed since it was sealed.
. "$CLI_TOOLS"
a=$("$MAKE_BACKUP" --out root --files 8 --seed 1) || exit 9
b=$("$MAKE_BACKUP" --out root --files 8 --seed 2) || exit 9
"$BKCHECK" verify --read-data --seal "$a" >/dev/null || exit 8
"$BKCHECK" verify --against-seal --seal-file "$a.bkcheck-seal" "$b" >out.txt 2>err.txt; echo "other backup: exit $?"
sed -e "s#$(pwd)/##g" -e "s#${a#root/}#A#g" -e "s#${b#root/}#B#g" err.txt
mv "$a" root/renamed
"$BKCHECK" verify --against-seal --seal-file "$a.bkcheck-seal" root/renamed >/dev/null 2>&1; echo "renamed: exit $?"
"$BKCHECK" verify --against-seal --seal-of-renamed --seal-file "$a.bkcheck-seal" root/renamed >/dev/null; echo "renamed, --seal-of-renamed: exit $?"
"$BKCHECK" verify --seal-of-renamed root/renamed >/dev/null 2>&1; echo "without --against-seal: exit $?"
