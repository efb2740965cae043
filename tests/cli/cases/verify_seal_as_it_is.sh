# verify --read-data --seal seals a damaged backup as it is (issue 25 point 3): the seal records the
# verdict and the findings, the run still exits 1 for the damage, and --against-seal shows what the
# backup was sealed as, that nothing changed since, and exits 1 too: unchanged and still damaged (trial:
# exit 0 let a script gating a restore on 0 pass a damaged backup). --seal-hash sha256 seals with SHA-256 (the
# entries equal sha256sum's); any other name is a usage error.
"$MAKE_BACKUP" --out b --files 5 --damage blob_missing >/dev/null
dir=$(ls -d b/*/); dir=${dir%/}
"$BKCHECK" verify --read-data --seal --seal-file s1 "$dir" | tail -n 1
echo "seal exit ${PIPESTATUS[0]}"
sed -n '1p;4,6p' s1
"$BKCHECK" verify --against-seal --seal-file s1 "$dir" | grep -E '^  sealed as|^Verdict'
echo "against-seal exit ${PIPESTATUS[0]}"
"$BKCHECK" verify --read-data --seal --seal-hash sha256 --seal-file s2 "$dir" | tail -n 1
sed -n '4p' s2
line=$(grep -m1 ' Manifest.db$' s2)
[ "${line%% *}" = "$(sha256sum "$dir/Manifest.db" | cut -d' ' -f1)" ] && echo "Manifest.db: sha256sum agrees"
"$BKCHECK" verify --against-seal --seal-file s2 "$dir" | grep -E '^  seal |^Verdict'
"$BKCHECK" verify --read-data --seal --seal-hash md5 --seal-file s3 "$dir" 2>&1; echo "md5: exit $?"
