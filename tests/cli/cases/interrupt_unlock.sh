# Ctrl-C during the key derivation of the largest keybags accepted — DPIC 10^8 (PBKDF2-SHA256: seconds
# even with SHA-NI) or ITER 10^7 (PBKDF2-SHA1) — stops it within a second: exit 130, "interrupted" on
# stderr, and no "The password unlocks" line. verify, which derives on another thread while it checks
# what needs no key, stops the same way. The counts are written into a generated keybag (the generator
# would spend the same minutes deriving them).
. "$CLI_TOOLS"
"$MAKE_BACKUP" --out b --encrypted --password pw --files 3 >/dev/null
dir=$(ls -d b/*/); dir=${dir%/}
echo pw > pw
cp "$dir/Manifest.plist" manifest.orig
# A binary Manifest.plist holds the keybag's bytes as they are: TAG, length 4, big-endian count.
set_count() {  # TAG, old count and new count as \x escapes
  cp manifest.orig "$dir/Manifest.plist"
  perl -0777 -pi -e "s/$1\\x00\\x00\\x00\\x04$2/$1\\x00\\x00\\x00\\x04$3/ or die" "$dir/Manifest.plist" || echo "not patched"
}
# Under Wine a process takes over a second to start on a busy machine, and a signal that comes before
# its console handler is set ends it with exit 0 and no word (seen at load 7): there it waits 2 s,
# still early in a derivation of many seconds.
delay=0.5
[ -n "${BKCHECK_UNDER_WINE:-}" ] && delay=2
interrupt() {  # a label, then the command: SIGINT $delay s after it starts
  local label=$1
  shift
  "$@" >out 2>err &
  local pid=$!
  sleep "$delay"
  kill -INT "$pid"
  local start=$(now_ms)
  wait "$pid"
  local code=$? ms=$(($(now_ms) - start))
  echo "$label: exit $code"
  if [ "$ms" -lt 1500 ]; then echo "$label: stopped"; else echo "$label: ran on for $ms ms"; fi
  grep -q "unlocks" out && echo "$label: printed a success line"
  echo "$label: $(cat err)"
}
set_count DPIC '\x00\x00\x00\x64' '\x05\xf5\xe1\x00'  # 100 -> 100,000,000
interrupt "unlock DPIC 10^8" "$BKCHECK" unlock --password-file pw "$dir"
interrupt "verify DPIC 10^8" "$BKCHECK" verify --password-file pw "$dir"
set_count ITER '\x00\x00\x00\x0a' '\x00\x98\x96\x80'  # 10 -> 10,000,000
interrupt "unlock ITER 10^7" "$BKCHECK" unlock --password-file pw "$dir"
exit 0
