# The derived key is saved 0600 and then replaces the password.
dir=$(ls -d "$TESTDATA"/backups/encrypted-ios17/*/)
BKCHECK_PASSWORD=bkcheck-demo "$BKCHECK" unlock --save-key k "$dir" >/dev/null || exit 9
stat -c '%a' k
"$BKCHECK" verify --read-data --key-file k "$dir"
