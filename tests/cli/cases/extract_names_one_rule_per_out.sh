# One OUT keeps one set of name rules: a record's file is told from another's by its name alone,
# and a record literally named "CO%4E.txt" (written as it is by a native run on Linux) has the name
# a portable run gives "CON.txt". So a portable extract into an OUT a native one wrote is refused
# (exit 2, nothing written or replaced), while the same rules again, or another OUT, work.
. "$CLI_TOOLS"
"$MAKE_BACKUP" --out b --files 6 --clashing-names >/dev/null
dir=$(ls -d b/*/); dir=${dir%/}
"$BKCHECK" extract "$dir" out >/dev/null; echo "native: exit $?"
ls -A out | grep bkcheck-names
before=$(file_sums out)
"$BKCHECK" extract --names portable --overwrite "$dir" out 2>&1 | sed "s|$PWD/||"; echo "portable into it: exit ${PIPESTATUS[0]}"
after=$(file_sums out)
[ "$before" = "$after" ] && echo "out unchanged"
"$BKCHECK" extract --overwrite "$dir" out >/dev/null; echo "native again: exit $?"
"$BKCHECK" extract --names portable "$dir" out2 >/dev/null; echo "portable elsewhere: exit $?"
ls -A out2 | grep bkcheck-names
exit 0
