# --seal with a --seal-file in a folder that does not exist fails before any blob is read (exit 5,
# naming the seal file), not after the whole read when the write fails.
dir=$(ls -d "$TESTDATA"/backups/plain-ios17/*/)
"$BKCHECK" verify --read-data --seal --seal-file no/such/x.seal "$dir" >out 2>err
echo "exit $? $(cat err)"
wc -c < out
