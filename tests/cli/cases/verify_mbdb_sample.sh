"$BKCHECK" verify --read-data "$TESTDATA"/backups/plain-ios9/*/
