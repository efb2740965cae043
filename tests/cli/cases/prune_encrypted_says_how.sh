# prune of an encrypted iOS 10+ backup without its password leaves its orphans alone and says how to
# give the password: the options and the variable (before: "give the backup's password", nothing on
# how). prune never prompts, and says so.
. "$CLI_TOOLS"
"$MAKE_BACKUP" --out root --files 10 --encrypted --damage orphan_blob >/dev/null || exit 9
"$BKCHECK" prune root | grep -o 'give the backup.s password.*'
printf 'bkcheck-demo' >pw
"$BKCHECK" prune --password-file pw root | grep -c remove_orphan_blobs
