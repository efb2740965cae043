"$BKCHECK" verify --password bkcheck-demo "$TESTDATA"/backups/encrypted-ios17/*/
