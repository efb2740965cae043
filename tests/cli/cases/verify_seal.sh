# verify --read-data --seal writes a seal beside the backup; --against-seal says unchanged, then names
# a one-byte change and exits 1; a seal inside the backup folder is refused.
cp -r "$TESTDATA"/backups/plain-ios17 root
dir=$(ls -d root/*/ | head -1); dir=${dir%/}
"$BKCHECK" verify --read-data --seal "$dir" | tail -n 1
ls root | grep -c '\.bkcheck-seal$'
"$BKCHECK" verify --against-seal "$dir" | tail -n 1
blob=$(ls "$dir"/*/* | head -n 1)
printf 'X' | dd of="$blob" bs=1 seek=3 conv=notrunc 2>/dev/null
"$BKCHECK" verify --against-seal "$dir" --json | grep -E '"(verdict|code|changed)"'
echo "exit $?"
"$BKCHECK" verify --against-seal "$dir" >/dev/null; echo "changed exit $?"
"$BKCHECK" verify --read-data --seal --seal-file "$dir/in.seal" "$dir" 2>&1; echo "inside exit $?"
