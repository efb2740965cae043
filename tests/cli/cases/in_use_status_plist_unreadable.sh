# A Status.plist changed in the last minutes that this user may not read: the in-use notice says it
# could not be read and that whether the session finished is not known, never that the session is
# not finished (before: "the backup session is not finished", a claim about a file nobody read). As
# root the case drops to the user nobody.
. "$CLI_TOOLS"
dir=$("$MAKE_BACKUP" --out root --files 10) || exit 9
chmod -R a+rX . && chmod 755 . && chmod 000 "$dir/Status.plist" && touch "$dir/Status.plist"
as_user "$BKCHECK" verify "$dir" | grep -o 'In use: .*' | sed "s#$dir#DIR#"
as_user "$BKCHECK" repair "$dir" | grep -o 'In use: .*' | sed "s#$(pwd)/$dir#DIR#"
as_user "$BKCHECK" list root | grep -c 'session is not finished' || true
