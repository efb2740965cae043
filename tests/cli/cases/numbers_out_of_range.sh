# Whole-number options outside their range are a usage error (exit 2) naming the option and the value
# as typed. --jobs -1 and 200000 used to end in "out of memory" or an abort from threads the system
# refuses; --keep-last -1, --older-than -1 and --max-findings -1 wrapped round to 4294967295 (or more).
dir=$(ls -d "$TESTDATA"/backups/plain-ios17/*/)
for args in "verify --jobs -1" "verify -j 200000" "doctor --jobs=257" "repair --jobs -1" "prune -j -1" \
            "verify --max-findings -1" "prune --keep-last 0" "prune --older-than -1" "doctor --older-than 99999" \
            "usage --top -1"; do
  "$BKCHECK" $args "$dir" >/dev/null 2>err; echo "$args: exit $? $(head -n 1 err)"
done
"$BKCHECK" purge --older-than -1 "$dir/.." >/dev/null 2>err; echo "purge --older-than -1: exit $? $(head -n 1 err)"
"$BKCHECK" verify --jobs 256 "$dir" >/dev/null; echo "256: exit $?"
