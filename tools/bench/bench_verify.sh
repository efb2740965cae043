#!/usr/bin/env bash
# Benchmarks verify against baselines run in the same script on the same data (ratios, not absolute
# times, are what to compare across machines):
#  1. structural verify of a generated ROWS-row Manifest.db (default 1,000,000) with tiny blobs,
#     against `find -type f -printf %s` (walking and stat-ing the same tree) and against SQLite
#     reading every row of the index (`sqlite3 ... sum(length(file))`);
#  2. verify --read-data throughput over READ_MB of blobs, against `cat` of the same blobs, both
#     with a warm page cache.
# Usage: tools/bench/bench_verify.sh BUILD_DIR [ROWS] [READ_MB]
set -euo pipefail
build=$(realpath "$1") rows=${2:-1000000} read_mb=${3:-1024}
work=$(mktemp -d /var/tmp/bkcheck-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
seconds() { echo "$2 - $1" | bc -l | xargs printf '%.2f'; }
ratio() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }

echo "== structural verify, $rows rows"
start=$(now)
dir=$("$build/tools/make_backup" --out "$work/big" --files "$rows" --max-blob-bytes 16 --seed 7)
echo "generated in $(seconds "$start" "$(now)") s: $(du -sh "$dir" | cut -f1)"
find "$dir" -type f -printf '%s\n' >/dev/null  # warm the dentry/inode caches for every contender
start=$(now); find "$dir" -type f -printf '%s\n' | wc -l >/dev/null; walk=$(seconds "$start" "$(now)")
start=$(now); sqlite3 "file:$dir/Manifest.db?immutable=1" "SELECT count(*), sum(length(file)) FROM Files" >/dev/null
sql=$(seconds "$start" "$(now)")
start=$(now); "$build/tools/bkcheck" verify "$dir" --json >"$work/big.json" || true; verify=$(seconds "$start" "$(now)")
grep -E '"(records|files|blobs_checked|errors|warnings)"' "$work/big.json" | tr -d ' ,' | paste -sd' '
echo "find walk+stat: $walk s   sqlite3 read all rows: $sql s   bkcheck verify: $verify s"
echo "ratio verify/find: $(ratio "$verify" "$walk")   verify/sqlite3: $(ratio "$verify" "$sql")"

echo "== verify --read-data, about $read_mb MB of blobs"
# The generator's files are small, as on a phone; for a throughput figure every blob is replaced by
# 1 MiB of random bytes (verify then also reports size and digest mismatches, which costs nothing).
dir=$("$build/tools/make_backup" --out "$work/data" --files "$read_mb" --seed 8)
blobs=("$dir"/??)
find "${blobs[@]}" -type f -exec sh -c 'for f; do head -c 1048576 /dev/urandom > "$f"; done' sh {} +
find "${blobs[@]}" -type f -exec cat {} + >/dev/null  # warm the page cache
start=$(now); find "${blobs[@]}" -type f -exec cat {} + >/dev/null; cat_time=$(seconds "$start" "$(now)")
start=$(now); "$build/tools/bkcheck" verify --read-data "$dir" --json >"$work/data.json" || true; read_time=$(seconds "$start" "$(now)")
bytes=$(grep '"bytes_read"' "$work/data.json" | tr -dc '0-9')
echo "bytes read: $bytes   cat: $cat_time s   bkcheck verify --read-data: $read_time s"
echo "throughput: cat $(echo "$bytes / $cat_time / 1000000" | bc -l | xargs printf '%.0f') MB/s, verify $(echo "$bytes / $read_time / 1000000" | bc -l | xargs printf '%.0f') MB/s, ratio verify/cat: $(ratio "$read_time" "$cat_time")"
