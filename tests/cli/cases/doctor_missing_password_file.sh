# A mistyped --password-file is one clear error naming it (exit 5), not a misleading "unreadable"
# diagnosis of every encrypted backup.
mkdir backups && cp -r "$TESTDATA"/backups/encrypted-ios17/* backups/
"$BKCHECK" doctor --password-file no-such-file backups
