# A seal needs every byte read: an encrypted backup verified without its password is not sealed,
# and the exit code is verify's own for what was not examined (6, unchecked), not 1 (damage).
dir=$("$MAKE_BACKUP" --out gen --encrypted --files 6 --seed 13) || exit 9
"$BKCHECK" verify --read-data --seal --no-password "$dir" | grep -E '^(Verdict|Not sealed)' | sed 's/:.*//'
echo "exit ${PIPESTATUS[0]}"
echo "seal files: $(ls gen | grep -c bkcheck-seal)"
