# usage --top N limits each chart and, when given, the --json lists; a negative N is a usage error
# (it used to wrap round to "all").
dir=$(ls -d "$TESTDATA"/backups/plain-ios17/*/)
"$BKCHECK" usage --top -1 "$dir" >/dev/null 2>err; echo "top -1: exit $? $(head -n 1 err)"
"$BKCHECK" usage --top 1 "$dir" | grep -c '#'
"$BKCHECK" usage --top 1 --json "$dir" | grep -c '"name"'
"$BKCHECK" usage --json "$dir" | grep -c '"name"'
