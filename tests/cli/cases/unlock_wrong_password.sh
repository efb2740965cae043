echo not-it > pw
"$BKCHECK" unlock --password-file pw "$TESTDATA"/backups/encrypted-ios17/*/
