# extract with a filter that selects no record creates nothing: no OUT, no names marker, no hash list
# (before: an empty OUT and its .bkcheck-names-* marker were left behind). The message says which part
# of the filter matched nothing (before: "bkcheck usage lists the domains" even when the domain
# matched and only the path did not); ls says the same.
. "$CLI_TOOLS"
dir=$("$MAKE_BACKUP" --out gen --files 10) || exit 9
"$BKCHECK" extract "$dir" out --domain HomeDomain --path 'nope*' --hash-list sums.txt >/dev/null
echo "extract exit $?"
[ -e out ] && echo "OUT created" ; [ -e sums.txt ] && echo "hash list created"
"$BKCHECK" extract "$dir" out --domain 'Nope*' >/dev/null; echo "extract exit $?"
[ -e out ] && echo "OUT created"
"$BKCHECK" ls "$dir" --path 'nope'; echo "ls exit $?"
"$BKCHECK" ls "$dir" --domain HomeDomain --file-id 0000; echo "ls exit $?"
# A filter that matches still writes OUT as before.
"$BKCHECK" extract "$dir" out --domain 'AppDomain-*' >/dev/null; echo "extract exit $?"; [ -d out ] && echo "OUT written"
