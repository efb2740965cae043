# No password, no terminal: only what needs no key, and it says so: verdict unchecked, exit 6, never ok.
unset BKCHECK_PASSWORD
"$BKCHECK" verify "$TESTDATA"/backups/encrypted-ios17/*/ </dev/null
