# Usage errors speak of what the user was shown: a missing argument by its placeholder in the usage
# line (never the internal option name '--dir'); positional arguments are not options (help does
# not list them, and 'prune --path' is refused, since --path is a glob elsewhere).
"$BKCHECK" verify 2>&1; echo "exit $?"
"$BKCHECK" extract /tmp 2>&1 | head -1
"$BKCHECK" undo 2>&1 | head -1
"$BKCHECK" prune --path /tmp 2>&1 | head -1; echo "exit ${PIPESTATUS[0]}"
"$BKCHECK" verify -j /tmp 2>&1 | head -1
for verb in info verify unlock prune repair undo purge ls usage extract export list doctor; do
  "$BKCHECK" $verb --help | grep '(positional)' && echo "$verb lists a positional"
done
exit 0
