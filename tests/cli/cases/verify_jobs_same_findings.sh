# --jobs 1 and --jobs 3 report the same findings in the same order (the findings kept under the cap do
# not depend on which worker found them first).
dir=$("$MAKE_BACKUP" --out gen --files 400 --seed 5 --damage blob_missing --damage orphan_blob \
      --damage blob_size_mismatch --damage blob_digest_mismatch) || exit 9
"$BKCHECK" verify --read-data --json --max-findings 1 --jobs 1 "$dir" >one.json
"$BKCHECK" verify --read-data --json --max-findings 1 -j 3 "$dir" >three.json
cmp one.json three.json && echo same
grep -c '"code"' one.json
