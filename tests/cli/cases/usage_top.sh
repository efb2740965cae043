# usage --top N limits each chart and, when given, the --json lists (its range is checked in
# numbers_out_of_range).
dir=$(ls -d "$TESTDATA"/backups/plain-ios17/*/)
"$BKCHECK" usage --top 1 "$dir" | grep -c '#'
"$BKCHECK" usage --top 1 --json "$dir" | grep -c '"name"'
"$BKCHECK" usage --json "$dir" | grep -c '"name"'
