BKCHECK_PASSWORD=nope "$BKCHECK" verify --read-data "$TESTDATA"/backups/encrypted-ios17/*/
