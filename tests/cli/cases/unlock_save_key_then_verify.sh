# The derived key is saved 0600 and then replaces the password.
. "$CLI_TOOLS"
dir=$(ls -d "$TESTDATA"/backups/encrypted-ios17/*/)
BKCHECK_PASSWORD=bkcheck-demo "$BKCHECK" unlock --save-key k "$dir" >/dev/null || exit 9
file_mode k
"$BKCHECK" verify --read-data --key-file k "$dir"
