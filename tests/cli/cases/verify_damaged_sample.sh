# The damaged sample: a missing blob (error, exit 1) and an orphan (warning), each with a remedy.
"$BKCHECK" verify "$TESTDATA"/backups/damaged-ios17/*/
