#!/usr/bin/env bash
# verify --deep against verify --read-data on the same backup, in the same run (issue 24's goal:
# --deep <= 2 x --read-data, peak RSS <= 64 MB). The backup is written by make_backup
# --real-content: SQLite databases written by SQLite, plists (NSKeyedArchiver among them), JPEG,
# PNG, HEIC, MP4 and MOV files whose structure is whole, in the proportions of a camera roll plus app
# data; plain and encrypted. Warm page cache for both (each is run once first). Reports seconds
# (median of REPEAT), the ratio and each run's peak RSS (/usr/bin/time -v).
# Usage: tools/bench/bench_deep.sh BUILD_DIR [--mb M] [--repeat R] [--jobs J] [--work DIR]
#   --mb M      MiB of real-shaped content (default 1024)
#   --repeat R  runs of each; medians (default 3)
#   --jobs J    bkcheck --jobs (default 0: one per core)
#   --work DIR  keep the backups there and reuse them (default: a folder in /var/tmp removed on exit)
# Needs /usr/bin/time (Debian package `time`). Scratch space: about 2 x M MiB.
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,13p' "$0"; exit 2; }
build=$(realpath "$1"); shift
mb=1024 repeat=3 jobs=0 work=
while [ $# -gt 0 ]; do
  case $1 in
    --mb) mb=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
bkcheck=$build/tools/bkcheck make_backup=$build/tools/make_backup
if [ -z "$work" ]; then
  work=$(mktemp -d /var/tmp/bkcheck-bench-deep.XXXXXX)
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
password=$work/password
echo bkcheck-demo >"$password"

backup_for() {  # plain|encrypted -> the backup folder, written once per size
  local kind=$1 dir=$work/$1-$mb
  if [ ! -d "$dir" ]; then
    local flags=(); [ "$kind" = encrypted ] && flags=(--encrypted)
    "$make_backup" --out "$dir" --files 0 --real-content $((mb * 1024 * 1024)) "${flags[@]}" >/dev/null
  fi
  echo "$dir"/*/
}

# Runs bkcheck verify with the given flags REPEAT times; prints "median_wall median_cpu peak_rss_kb"
# (CPU: user + system seconds, which other work on a shared machine does not inflate).
measure() {
  local dir=$1; shift
  local times=() cpus=() rss=0 log=$work/time.log
  "$bkcheck" verify --jobs "$jobs" --password-file "$password" "$@" "$dir" >/dev/null || true
  for _ in $(seq "$repeat"); do
    /usr/bin/time -v "$bkcheck" verify --jobs "$jobs" --password-file "$password" "$@" "$dir" \
      >/dev/null 2>"$log" || true
    local wall; wall=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$log")
    times+=("$(echo "$wall" | awk -F: '{ if (NF == 3) print $1*3600+$2*60+$3; else print $1*60+$2 }')")
    cpus+=("$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$log")")
    local kb; kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
    [ "$kb" -gt "$rss" ] && rss=$kb
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{ a[NR] = $1 } END { printf "%s ", a[int((NR + 1) / 2)] }'
  printf '%s\n' "${cpus[@]}" | sort -g | awk '{ a[NR] = $1 } END { printf "%s ", a[int((NR + 1) / 2)] }'
  echo "$rss"
}

for kind in plain encrypted; do
  dir=$(backup_for "$kind")
  files=$(find "$dir" -mindepth 2 -type f | wc -l)
  bytes=$(du -sb "$dir" | cut -f1)
  read -r read_s read_cpu read_rss <<<"$(measure "$dir" --read-data)"
  read -r deep_s deep_cpu deep_rss <<<"$(measure "$dir" --deep)"
  ratio=$(echo "scale=2; $deep_s / $read_s" | bc)
  cpu_ratio=$(echo "scale=2; $deep_cpu / $read_cpu" | bc)
  printf '%-9s %5d files %5d MiB  --read-data %5.2f s, CPU %5.2f s, %3d MB  --deep %5.2f s, CPU %5.2f s, %3d MB  ratio %s (CPU %s)\n' \
    "$kind" "$files" $((bytes / 1048576)) "$read_s" "$read_cpu" $((read_rss / 1024)) \
    "$deep_s" "$deep_cpu" $((deep_rss / 1024)) "$ratio" "$cpu_ratio"
done
