# extract then export the encrypted iOS 17 sample: files decrypted under OUT/<domain>/<path>,
# absolute symlinks reported and skipped (a warning: exit 0), a re-run keeps existing files, and the export
# is an unencrypted backup that verifies clean.
export BKCHECK_PASSWORD=bkcheck-demo
dir=$(ls -d "$TESTDATA"/backups/encrypted-ios17/*/)
"$BKCHECK" ls --json --domain HomeDomain "$dir" | grep -c '"kind": "file"'
"$BKCHECK" usage --json "$dir" | grep '"total_files"'
"$BKCHECK" extract "$dir" out; echo "exit $?"
head -c 15 out/HomeDomain/Library/SMS/sms.db; echo
"$BKCHECK" extract "$dir" out | grep -c extract.exists
"$BKCHECK" export "$dir" exported; echo "exit $?"
unset BKCHECK_PASSWORD
"$BKCHECK" verify --read-data exported/*/ > verify.txt; echo "exit $?"; tail -n 1 verify.txt
