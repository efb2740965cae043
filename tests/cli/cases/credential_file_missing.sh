# A mistyped --password-file is one clear error naming it (exit 5), not a misleading "unreadable"
# diagnosis of every encrypted backup (doctor) nor orphans quietly "left alone" (prune). A key file,
# when named too, is the credential used, so the password file is then not read at all.
mkdir backups && cp -r "$TESTDATA"/backups/encrypted-ios17/* backups/
"$BKCHECK" doctor --password-file no-such-file backups; echo "doctor: exit $?"
"$BKCHECK" prune --password-file no-such-file backups; echo "prune: exit $?"
printf 'bkcheck-demo\n' > pw
"$BKCHECK" unlock --password-file pw --save-key key backups/* >/dev/null; echo "unlock: exit $?"
"$BKCHECK" prune --key-file key --password-file no-such-file backups >/dev/null; echo "prune with a key file: exit $?"
