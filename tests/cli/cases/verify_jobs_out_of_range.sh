# --jobs outside 0..256 is a usage error (exit 2) on every verb that takes it, never "out of memory"
# or an abort from threads the system refuses; -1 is named as typed.
dir=$(ls -d "$TESTDATA"/backups/plain-ios17/*/)
for args in "verify --jobs -1" "verify -j 200000" "doctor --jobs=257" "repair --jobs -1" "prune -j -1"; do
  "$BKCHECK" $args "$dir" >/dev/null 2>err; echo "$args: exit $? $(head -n 1 err)"
done
"$BKCHECK" verify --jobs 256 "$dir" >/dev/null; echo "256: exit $?"
