"$BKCHECK" verify --json --read-data-subset=50% "$TESTDATA"/backups/damaged-ios17/*/
