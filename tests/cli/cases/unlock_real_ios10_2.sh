# A real iOS 10.2 keybag (two-stage derivation, DPIC 10,000,000): only Manifest.plist is needed.
src="$SHARED/fixtures/real/john-keybags/Manifest-10-test123.plist"
[ -f "$src" ] || { echo SKIP; exit 0; }
mkdir b && cp "$src" b/Manifest.plist
echo test123 > pw
"$BKCHECK" unlock --password-file pw b
