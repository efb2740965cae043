# verify --against-seal --deep is a usage error (exit 2), not a seal check that silently skips the
# decoding --deep asks for (trial); --against-seal alone still checks the seal.
cp -r "$TESTDATA"/backups/plain-ios17 root
dir=$(ls -d root/*/ | head -1); dir=${dir%/}
"$BKCHECK" verify --read-data --seal "$dir" >/dev/null; echo "seal exit $?"
"$BKCHECK" verify --against-seal --deep "$dir" 2>&1; echo "deep exit $?"
"$BKCHECK" verify --against-seal "$dir" | tail -n 1; echo "alone exit $?"
