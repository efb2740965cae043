# The README demo: the healthy sample verifies clean, with every blob read.
"$BKCHECK" verify --read-data "$TESTDATA"/backups/plain-ios17/*/
