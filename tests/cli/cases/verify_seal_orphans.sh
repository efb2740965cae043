# A backup holding an orphan blob and a stray file beside its index is sealed with them, so a fresh
# seal finds it unchanged (trial: every such seal said "appeared since it was sealed", exit 1); a
# file that appears after the seal is still reported.
dir=$("$MAKE_BACKUP" --out b --files 5 --damage orphan_blob --damage orphan_entry) || exit 9
"$BKCHECK" verify --read-data --seal "$dir" >/dev/null; echo "seal exit $?"
"$BKCHECK" verify --against-seal "$dir" | tail -n 1; echo "against-seal exit ${PIPESTATUS[0]}"
echo new >"$dir/another.txt"
"$BKCHECK" verify --against-seal "$dir" | grep -c 'another.txt: appeared since'
