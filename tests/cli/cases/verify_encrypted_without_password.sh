# No password, no terminal: only what needs no key, and it says so.
unset BKCHECK_PASSWORD
"$BKCHECK" verify "$TESTDATA"/backups/encrypted-ios17/*/ </dev/null
