# unlock --hash-line on real keybags: mode 9 for iOS 9 (no DPSL/DPIC), mode 10 for exactly iOS 10.2
# (DPIC 10,000,000), chosen by the tags; only Manifest.plist is in the folder. (That each line's
# WPKY unwraps with the known password is tested in tests/unit/format/test_keybag_hash_line.cpp.)
dir="$SHARED/fixtures/real/john-keybags"
[ -d "$dir" ] || { echo SKIP; exit 0; }
for name in Manifest-9-123456 Manifest-10-test123; do
  mkdir "$name" && cp "$dir/$name.plist" "$name/Manifest.plist"
  "$BKCHECK" unlock --hash-line "$name" </dev/null
done
