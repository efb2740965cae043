# Every --key-file error names the key file: a key that does not unlock this backup (exit 4, for
# unlock and verify alike), a file that is not a key (exit 2), a missing one (exit 5).
dir=$(ls -d "$TESTDATA"/backups/encrypted-ios17/*/)
printf '%064d\n' 0 > wrong.key
"$BKCHECK" unlock --key-file wrong.key "$dir" 2>&1; echo "unlock: exit $?"
"$BKCHECK" verify --key-file wrong.key "$dir" 2>&1 >/dev/null; echo "verify: exit $?"
echo hello > bad.key
"$BKCHECK" unlock --key-file bad.key "$dir" 2>&1; echo "not a key: exit $?"
"$BKCHECK" unlock --key-file none.key "$dir" 2>&1; echo "missing: exit $?"
