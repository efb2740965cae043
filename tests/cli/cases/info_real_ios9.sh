# The real iOS 9.3.6 backup (README of ../shared/fixtures/real): its UDID is not its folder name.
dir=$(ls -d "$SHARED"/fixtures/real/hackvent2020-ios9-encrypted/*/ 2>/dev/null | head -n 1)
[ -n "$dir" ] || { echo SKIP; exit 0; }
"$BKCHECK" info --json "$dir"
