BKCHECK_PASSWORD=bkcheck-demo "$BKCHECK" unlock "$TESTDATA"/backups/encrypted-ios17/*/
