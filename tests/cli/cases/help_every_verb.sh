# The help of every verb, word for word: its usage line, summary, options (never a positional
# argument), details and the exit codes. A change to any of them shows here and must be intended.
for verb in list info verify unlock prune repair undo purge ls usage extract export doctor; do
  echo "== $verb"
  "$BKCHECK" "$verb" --help || echo "exit $?"
done
