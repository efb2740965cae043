# A keybag no password could unlock is damaged (exit 1, saying what is wrong), never "the password
# does not unlock this backup" (exit 4, which sends the user looking for another password): DPIC 0
# (before, the first stage was skipped and the password blamed) and ITER 0 (before: "no SALT/ITER").
"$MAKE_BACKUP" --out b --encrypted --password pw --files 3 >/dev/null
dir=$(ls -d b/*/); dir=${dir%/}
echo pw > pw
cp "$dir/Manifest.plist" manifest.orig
set_count() {  # TAG, old count and new count as \x escapes (binary plist: the keybag bytes as they are)
  cp manifest.orig "$dir/Manifest.plist"
  perl -0777 -pi -e "s/$1\\x00\\x00\\x00\\x04$2/$1\\x00\\x00\\x00\\x04$3/ or die" "$dir/Manifest.plist" || echo "not patched"
}
set_count DPIC '\x00\x00\x00\x64' '\x00\x00\x00\x00'
"$BKCHECK" unlock --password-file pw "$dir"
echo "DPIC 0: unlock exit $?"
"$BKCHECK" verify --password-file pw "$dir" >/dev/null
echo "DPIC 0: verify exit $?"
set_count ITER '\x00\x00\x00\x0a' '\x00\x00\x00\x00'
"$BKCHECK" unlock --password-file pw "$dir"
echo "ITER 0: unlock exit $?"
cp manifest.orig "$dir/Manifest.plist"
"$BKCHECK" unlock --password-file pw "$dir"
echo "sound: unlock exit $?"
