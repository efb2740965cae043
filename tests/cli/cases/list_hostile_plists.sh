# Issue 19: one backup of a folder has hostile plists, an Info.plist whose 64 levels of shared
# references stand for 2^65 values in 387 bytes, and a Manifest.plist 1,000 levels deep (before:
# the first was OOM-killed, a deeper second overflowed the stack). list shows both backups, the hostile
# one unreadable; doctor names each bound and still checks the sound backup; both answer at once.
. "$CLI_TOOLS"
mkdir backups
"$MAKE_BACKUP" --out backups --files 5 >/dev/null
hostile=$("$MAKE_BACKUP" --out backups --files 5 --seed 2)

# A binary plist from objects[] (each object's bytes as \xNN escapes), object 0 the root.
byte() { printf -v _byte '\\x%02x' "$(( $1 & 255 ))"; obj+=$_byte; }
be() { local k; for ((k = $2 - 1; k >= 0; k--)); do byte $(( $1 >> (8 * k) )); done; }
str() { local i c; obj=""; byte $(( 0x50 + ${#1} )); for ((i = 0; i < ${#1}; i++)); do printf -v c '%d' "'${1:i:1}"; byte "$c"; done; }
write_bplist() {  # FILE REF_SIZE
  local body="" offsets=() o table
  for o in "${objects[@]}"; do offsets+=($(( 8 + ${#body} / 4 ))); body+=$o; done
  table=$(( 8 + ${#body} / 4 ))
  obj=""; for o in "${offsets[@]}"; do be "$o" 2; done
  body+=$obj; obj=""
  be 0 6; byte 2; byte "$2"; be ${#objects[@]} 8; be 0 8; be "$table" 8
  printf "bplist00$body$obj" > "$1"
}
# {"Applications": a} where a = [b, b], b = [c, c], ... 64 levels, then "leaf".
objects=()
obj=""; byte 0xD1; byte 1; byte 2; objects+=("$obj")
str Applications; objects+=("$obj")
for ((k = 2; k < 66; k++)); do obj=""; byte 0xA2; byte $((k + 1)); byte $((k + 1)); objects+=("$obj"); done
str leaf; objects+=("$obj")
write_bplist "$hostile/Info.plist" 1
# {"Lockdown": [[[... "leaf" ...]]]}, 1,000 arrays.
objects=()
obj=""; byte 0xD1; be 1 2; be 2 2; objects+=("$obj")
str Lockdown; objects+=("$obj")
for ((k = 2; k < 1002; k++)); do obj=""; byte 0xA1; be $((k + 1)) 2; objects+=("$obj"); done
str leaf; objects+=("$obj")
write_bplist "$hostile/Manifest.plist" 2

start=$SECONDS
with_timeout 20 "$BKCHECK" list backups; echo "list exit $?"
with_timeout 20 "$BKCHECK" doctor backups; echo "doctor exit $?"
[ $(( SECONDS - start )) -le 5 ] && echo "answered at once"
