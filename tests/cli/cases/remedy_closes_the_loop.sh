# Advice closes the loop, as a person follows it: the remedy names the real path; the command in
# "what to do" (copied from the text, as pasted) fixes the finding, and --json's fix_argv is that
# command. Where no bkcheck command can fix a finding (an encrypted backup's truncated Manifest.plist,
# a stray file), the remedy says so instead of sending the user to repair or prune for nothing.
age() { find "$1" -exec touch -h -d '2 hours ago' {} +; }
dir=$("$MAKE_BACKUP" --out root --files 10 --damage blob_missing) || exit 9
age "$dir"
"$BKCHECK" verify --json "$dir" | tr -d ' \n' | grep -o '"fix_argv":\[[^]]*\]' | sort -u
"$BKCHECK" verify "$dir" | grep 'what to do'
fix=$("$BKCHECK" verify "$dir" | sed -n 's/.*; \(bkcheck repair --apply [^ ]*\) carries it out$/\1/p' | head -1)
echo "pasting: $fix"
PATH=$(dirname "$BKCHECK"):$PATH $fix >/dev/null; echo "fix exit $?"
"$BKCHECK" verify "$dir" | grep '^Verdict'
# An encrypted backup whose Manifest.plist was cut short: no "repair" (repair can do nothing).
enc=$("$MAKE_BACKUP" --out enc --encrypted --files 10 --damage manifest_plist_unreadable) || exit 9
BKCHECK_PASSWORD=bkcheck-demo "$BKCHECK" verify "$enc" | grep -E '^error|what to do'
BKCHECK_PASSWORD=bkcheck-demo "$BKCHECK" verify --json "$enc" | tr -d ' \n' | grep -o '"fix_argv":[a-z]*'
# A stray file: a warning whose remedy is no command (prune leaves it alone, so it must not advise prune).
stray=$("$MAKE_BACKUP" --out stray --files 10 --damage orphan_entry) || exit 9
"$BKCHECK" verify "$stray" | grep -A2 '^warning orphan.entry' | tail -1
