"$BKCHECK" verify --read-data-subset=150% "$TESTDATA"/backups/plain-ios17/*/
