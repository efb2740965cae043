# The real iOS 9.3.6 backup: exactly one blob genuinely missing.
dir=$(ls -d "$SHARED"/fixtures/real/hackvent2020-ios9-encrypted/*/ 2>/dev/null | head -n 1)
[ -n "$dir" ] || { echo SKIP; exit 0; }
"$BKCHECK" verify --read-data "$dir"
