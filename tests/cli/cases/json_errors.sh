# With --json every verb answers an error with one JSON object on stdout (issue 26 point 4): a
# backup folder that does not exist (exit 5, code "io"), an unknown option (exit 2, code "usage"),
# a folder that is not a backup (exit 3), a missing password where one is needed (exit 2); the
# words are on stderr as ever. Each line: verb, exit status, the error code and exit code printed.
dir=$("$MAKE_BACKUP" --out root --files 4 --encrypted --password secret) || exit 9
mkdir empty
code_of() { sed -n 's/.*"code": "\([a-z_]*\)".*/\1/p; s/.*"exit_code": \([0-9]*\).*/\1/p' | tr '\n' ' '; }
for verb in info verify unlock ls usage repair; do
  out=$("$BKCHECK" "$verb" --json missing-dir 2>/dev/null); echo "$verb missing $? $(echo "$out" | code_of)"
done
for verb in list doctor prune undo purge; do
  out=$("$BKCHECK" "$verb" --json missing-dir 2>/dev/null); echo "$verb missing $? $(echo "$out" | code_of)"
done
for verb in extract export; do
  out=$("$BKCHECK" "$verb" --json missing-dir out 2>/dev/null); echo "$verb missing $? $(echo "$out" | code_of)"
done
for verb in list info doctor verify ls usage extract export prune repair undo purge; do
  out=$("$BKCHECK" "$verb" --json --no-such-option 2>/dev/null); echo "$verb bogus $? $(echo "$out" | code_of)"
done
out=$("$BKCHECK" verify --json empty 2>/dev/null); echo "verify empty $? $(echo "$out" | code_of)"
out=$("$BKCHECK" extract --json "$dir" out </dev/null 2>err.txt); echo "extract nopw $? $(echo "$out" | code_of)"
grep -c 'give its password' err.txt
# A verb that printed its document adds no error object to it.
"$BKCHECK" ls --json "$dir" --password secret | grep -c '"schema_version"'
