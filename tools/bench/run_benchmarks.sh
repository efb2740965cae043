#!/usr/bin/env bash
# The performance benchmarks of README "Performance", in one command. Every bkcheck figure is a ratio
# to a baseline run in the same script on the same data, so ratios (not seconds) compare across
# machines; each bkcheck run's peak RSS is measured with /usr/bin/time.
#  1. structural verify of a generated ROWS-row Manifest.db (tiny blobs) against `find` walking and
#     stat-ing the same tree plus `sqlite3` reading every row (`select * from Files`), and of a
#     NOBLOB_ROWS-row one with no blobs against that `sqlite3` alone; each REPEAT times, medians;
#  2. verify --read-data over READ_MB MiB of 1 MiB blobs, unencrypted (SHA-1) and encrypted (AES-CBC
#     decrypt + padding + SHA-1), against `cat` of the same blobs; warm page cache for both;
#     The same for an encrypted Manifest.db of ROWS rows (pages decrypted on demand), against `find`
#     (sqlite3 cannot read it), with a saved key so the figure is the index pass alone;
#  3. unlock of the encrypted backup's keybag (production rounds: DPIC 10,000,000, ITER 10,000)
#     against OpenSSL PKCS5_PBKDF2_HMAC for the same salts and rounds (tools/bench/bench_unlock);
#  4. export of an encrypted backup of EXPORT_FILES small files (decrypt, write, fsync, new index)
#     against `cp -a` of the same folder followed by `sync -f` (a copy that decrypts nothing);
#  5. cold verify --read-data of a backup of COLD_FILES files of 4 KiB against `cat` of the same
#     files (the blobs and Manifest.db) in inode order, each after `sync` and dropping the page
#     cache (needs root: skipped with a message otherwise); REPEAT times, interleaved, medians.
# Usage: tools/bench/run_benchmarks.sh BUILD_DIR [--rows N] [--noblob-rows N] [--repeat R]
#                                        [--read-mb M] [--jobs J] [--only PARTS]
#                                        [--export-files N] [--cold-files N] [--work DIR]
#   --rows N      index rows for the structural run with blobs (default 1000000)
#   --noblob-rows N  index rows for the structural run without blobs (default 300000)
#   --repeat R    runs of each structural contender; medians are reported (default 3)
#   --read-mb M   MiB of blobs for each read-data run (default 1024)
#   --jobs J      passed to bkcheck --jobs (default 0: one thread per core)
#   --export-files N  files of the export run (default 50000)
#   --cold-files N  files of the cold read run (default 50000)
#   --only PARTS  comma-separated subset of: structural,structural-noblobs,structural-encrypted,
#                 read,encrypted,unlock,export,cold (default all)
#   --work DIR    keep the generated backups in DIR and reuse them when run again with the same
#                 sizes (a million files take minutes to write and to delete)
# Needs: find, sqlite3, /usr/bin/time (Debian package `time`), bc. Scratch space (about
# 2 x READ_MB plus ~5 GB for 1,000,000 rows, ~1 GB for the export run): a folder in /var/tmp removed
# on exit, or --work.
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,32p' "$0"; exit 2; }
build=$(realpath "$1"); shift
rows=1000000 noblob_rows=300000 repeat=3 read_mb=1024 jobs=0 export_files=50000 cold_files=50000 work=
only=structural,structural-noblobs,structural-encrypted,read,encrypted,unlock,export,cold
while [ $# -gt 0 ]; do
  case $1 in
    --rows) rows=$2; shift 2 ;;
    --noblob-rows) noblob_rows=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --read-mb) read_mb=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --export-files) export_files=$2; shift 2 ;;
    --cold-files) cold_files=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    *) echo "run_benchmarks.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
for number in "$rows" "$noblob_rows" "$repeat" "$read_mb" "$jobs" "$export_files" "$cold_files"; do
  [[ $number =~ ^[0-9]+$ ]] || { echo "run_benchmarks.sh: --rows, --noblob-rows, --repeat, --read-mb, --jobs, --export-files and --cold-files take a number, not '$number'" >&2; exit 2; }
done
[ "$read_mb" -ge 1 ] || { echo "run_benchmarks.sh: --read-mb must be at least 1" >&2; exit 2; }
[ "$repeat" -ge 1 ] || { echo "run_benchmarks.sh: --repeat must be at least 1" >&2; exit 2; }
# The generator's first 25 files are small, varied ones; every file after them is 1 MiB.
bulk_files=$((read_mb + 25))
bkcheck=$build/tools/bkcheck make_backup=$build/tools/make_backup
if [ -z "$work" ]; then
  work=$(mktemp -d /var/tmp/bkcheck-bench-XXXXXX)
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
password=bench-password key=$work/key-$$  # a key saved by this run only
results=()  # "what|bkcheck s|baseline|baseline s|ratio|target|peak RSS MB"

wanted() { [[ ",$only," == *",$1,"* ]]; }
# backup NAME MAKE_BACKUP-ARGS...: the path of a generated backup in $work/NAME (named by its
# arguments, so other sizes are generated anew), generating it unless an earlier --work run did.
backup() {
  local parent; parent="$work/$1-$(echo "${*:2}" | md5sum | cut -c1-8)"
  if [ ! -f "$parent/done" ]; then
    rm -rf "$parent"
    local start; start=$(date +%s.%N)
    "$make_backup" --out "$parent" "${@:2}" >/dev/null
    echo "generated $1 in $(echo "$(date +%s.%N) - $start" | bc -l | xargs printf '%.1f') s" >&2
    touch "$parent/done"
  fi
  ls -d "$parent"/*/
}
ratio() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }
# timed OUT_VAR CMD...: runs CMD, sets OUT_VAR to its wall seconds; stdout to /dev/null.
timed() {
  local -n into=$1; shift
  local start; start=$(date +%s.%N)
  "$@" >/dev/null
  into=$(echo "$(date +%s.%N) - $start" | bc -l | xargs printf '%.2f')
}
# measured NAME CMD...: runs a bkcheck command under /usr/bin/time; sets WALL and RSS_MB. Its stdout
# goes to $work/NAME.out; exit codes 0/1 (clean / findings) are both a completed run.
measured() {
  local name=$1; shift
  local code=0
  /usr/bin/time -o "$work/$name.time" -f '%e %M %U %S' "$@" >"$work/$name.out" 2>"$work/$name.err" || code=$?
  if [ "$code" -gt 1 ]; then echo "$name failed ($code):" >&2; cat "$work/$name.err" >&2; exit 1; fi
  # /usr/bin/time puts "Command exited with non-zero status 1" first when there were findings.
  local user system
  read -r WALL rss_kb user system < <(tail -n 1 "$work/$name.time")
  RSS_MB=$((rss_kb / 1024)) CPU=$(echo "$user + $system" | bc)
}
record() { results+=("$1|$2|$3|$4|$(ratio "$2" "$4")|$5|$6"); }
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
# structural_run NAME WHAT DIR BASELINE-LABEL WITH-FIND TARGET: REPEAT rounds of (find, sqlite3 reading
# every row, verify), interleaved so load changes hit all three alike; records the medians.
structural_run() {
  local name=$1 what=$2 dir=$3 label=$4 with_find=$5 target=$6 walks=() sqls=() walls=() rsss=() walk=0 sql i
  local cpus=() sql_cpus=()
  # Warm the dentry/inode caches and the index's pages for every contender.
  find "$dir" -type f -printf '%s\n' >/dev/null && cat "$dir/Manifest.db" >/dev/null
  for ((i = 0; i < repeat; i++)); do
    if [ "$with_find" = yes ]; then timed walk find "$dir" -type f -printf '%s\n'; walks+=("$walk"); fi
    measured sqlite3 sqlite3 "file:$dir/Manifest.db?immutable=1" "SELECT * FROM Files"
    sqls+=("$WALL") sql_cpus+=("$CPU")
    measured "$name" "$bkcheck" verify --jobs "$jobs" --json "$dir"
    walls+=("$WALL") rsss+=("$RSS_MB") cpus+=("$CPU")
  done
  [ "$with_find" = yes ] && walk=$(median "${walks[@]}")
  sql=$(median "${sqls[@]}") WALL=$(median "${walls[@]}") RSS_MB=$(median "${rsss[@]}")
  local base; base=$(echo "$walk + $sql" | bc)
  echo "records $(json_count "$name" records), blobs checked $(json_count "$name" blobs_checked)"
  echo "medians of $repeat: find $walk s, sqlite3 $sql s, verify $WALL s (runs: ${walls[*]}), RSS $RSS_MB MB"
  # On a busy machine wall times wait for the CPU; CPU seconds (user + system) do not.
  echo "CPU medians: sqlite3 $(median "${sql_cpus[@]}") s, verify $(median "${cpus[@]}") s"
  record "$what" "$WALL" "$label" "$base" "$target" "$RSS_MB"
}
json_count() { grep "\"$2\"" "$work/$1.out" | head -1 | tr -dc '0-9'; }

echo "== machine"
lscpu | grep -E '^(Model name|CPU\(s\)|Thread\(s\) per core)' | sed 's/  */ /g'
echo "memory: $(free -g | awk '/Mem:/ {print $2}') GiB; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bkcheck --jobs $jobs ($( [ "$jobs" = 0 ] && nproc || echo "$jobs") threads)"

if wanted structural; then
  echo "== structural verify, $rows rows with blobs"
  dir=$(backup rows --files "$rows" --max-blob-bytes 16 --seed 7)
  structural_run structural "structural verify, $rows rows with blobs" "$dir" "find + sqlite3" yes \
    "<= 1.5, <= 64 MB"
fi

if wanted structural-noblobs; then
  echo "== structural verify, $noblob_rows rows, no blobs"
  # Every row's blob is missing (one finding each): the index pass alone, no stat.
  dir=$(backup noblobs --files "$noblob_rows" --no-blobs --seed 7)
  structural_run structural-noblobs "structural verify, $noblob_rows rows without blobs" "$dir" "sqlite3" no "<= 2"
fi

if wanted structural-encrypted; then
  echo "== structural verify, encrypted Manifest.db, $rows rows"
  dir=$(backup encrows --encrypted --password "$password" --files "$rows" --max-blob-bytes 16 --seed 10)
  BKCHECK_PASSWORD=$password "$bkcheck" unlock --save-key "$key" "$dir" >/dev/null
  find "$dir" -type f -printf '%s\n' >/dev/null && cat "$dir/Manifest.db" >/dev/null
  timed walk find "$dir" -type f -printf '%s\n'
  measured structural-encrypted "$bkcheck" verify --jobs "$jobs" --json --key-file "$key" "$dir"
  rm -f "$key"
  echo "records $(json_count structural-encrypted records); find $walk s, verify $WALL s, RSS $RSS_MB MB"
  record "structural verify, encrypted, $rows rows" "$WALL" "find" "$walk" "<= 10 s" "$RSS_MB"
fi

# read_data_run LABEL DIR VERIFY-ARGS...: warm cache, cat baseline, then verify --read-data.
read_data_run() {
  local label=$1 dir=$2; shift 2
  local blobs=("$dir"/??) cat_time
  find "${blobs[@]}" -type f -exec cat {} + >/dev/null  # warm the page cache
  timed cat_time find "${blobs[@]}" -type f -exec cat {} +
  measured "$label" "$bkcheck" verify --read-data --jobs "$jobs" --json "$@" "$dir"
  local bytes; bytes=$(json_count "$label" bytes_read)
  echo "$label: $bytes bytes; cat $cat_time s ($(echo "$bytes / $cat_time / 1000000" | bc) MB/s), verify $WALL s" \
       "($(echo "$bytes / $WALL / 1000000" | bc) MB/s), decrypted $(json_count "$label" blobs_decrypted) blobs," \
       "errors $(json_count "$label" errors), RSS $RSS_MB MB"
  record "verify --read-data, $label, $((bytes / 1048576)) MiB" "$WALL" "cat" "$cat_time" "<= 1.3" "$RSS_MB"
}

if wanted read; then
  echo "== verify --read-data, unencrypted, $read_mb MiB"
  dir=$(backup plain --files "$bulk_files" --bulk-file-bytes 1048576 --seed 8)
  read_data_run unencrypted "$dir"
fi

if wanted encrypted || wanted unlock; then
  echo "== encrypted backup, production keybag rounds"
  dir=$(backup encrypted --encrypted --password "$password" --iterations 10000 --dp-iterations 10000000 \
    --files "$( wanted encrypted && echo "$bulk_files" || echo 40)" --bulk-file-bytes 1048576 --seed 9)
  if wanted unlock; then
    "$build/tools/bench_unlock" "$dir" "$password" | tee "$work/unlock.txt"
    openssl_time=$(awk '/OpenSSL/ {print $(NF-1)}' "$work/unlock.txt")
    unlock_time=$(awk '/unlock_with_password/ {print $3}' "$work/unlock.txt")
    measured unlock "$bkcheck" unlock --password "$password" --save-key "$key" "$dir"
    echo "bkcheck unlock (whole command): $WALL s, RSS $RSS_MB MB"
    record "unlock (DPIC 10M, ITER 10k)" "$unlock_time" "OpenSSL PBKDF2" "$openssl_time" "<= 0.5" "$RSS_MB"
  fi
  if wanted encrypted; then
    [ -f "$key" ] || BKCHECK_PASSWORD=$password "$bkcheck" unlock --save-key "$key" "$dir" >/dev/null
    # The key file skips the derivation, so the figure is the read pass alone (unlock is row 3).
    read_data_run encrypted "$dir" --key-file "$key"
  fi
  rm -f "$key"
fi

if wanted export; then
  echo "== export, encrypted, $export_files files"
  dir=$(backup export --encrypted --password "$password" --files "$export_files" --bulk-file-bytes 4096 --seed 11)
  rm -rf "$work/export-copy" "$work/export-out" && mkdir -p "$work/export-out"
  # Each contender starts with no dirty pages of earlier writes left (sync), the source in the cache.
  find "$dir" -type f -exec cat {} + >/dev/null && sync
  timed copy_time bash -c 'cp -a "$1" "$2" && sync -f "$2"' _ "$dir" "$work/export-copy"
  rm -rf "$work/export-copy" && sync
  BKCHECK_PASSWORD=$password measured export "$bkcheck" export "$dir" "$work/export-out"
  echo "cp -a + sync $copy_time s, export $WALL s, RSS $RSS_MB MB: $(tail -1 "$work/export.out")"
  rm -rf "$work/export-out"
  record "export, encrypted, $export_files files of 4 KiB" "$WALL" "cp -a + sync" "$copy_time" "-" "$RSS_MB"
fi

if wanted cold; then
  echo "== cold verify --read-data, $cold_files files of 4 KiB"
  if [ "$(id -u)" != 0 ] || [ ! -w /proc/sys/vm/drop_caches ]; then
    echo "skipped: dropping the page cache (/proc/sys/vm/drop_caches) needs root"
  else
    dir=$(backup cold --files "$cold_files" --bulk-file-bytes 4096 --seed 12)
    # The same files bkcheck reads, in the order of their inode numbers (the best order for cat).
    find "$dir" -path "$dir??/*" -type f -printf '%i %p\n' | sort -n | cut -d' ' -f2- >"$work/cold-order"
    echo "$dir/Manifest.db" >>"$work/cold-order"
    drop_caches() { sync && echo 3 >/proc/sys/vm/drop_caches; }
    cats=() walls=() cpus=() rsss=()
    for ((i = 0; i < repeat; i++)); do
      drop_caches
      timed cat_time xargs -d '\n' cat <"$work/cold-order"
      cats+=("$cat_time")
      drop_caches
      measured cold "$bkcheck" verify --read-data --jobs "$jobs" --json "$dir"
      walls+=("$WALL") cpus+=("$CPU") rsss+=("$RSS_MB")
    done
    cat_time=$(median "${cats[@]}") WALL=$(median "${walls[@]}") RSS_MB=$(median "${rsss[@]}")
    echo "medians of $repeat: cat in inode order $cat_time s (runs: ${cats[*]}), verify $WALL s" \
         "(runs: ${walls[*]}; CPU $(median "${cpus[@]}") s), blobs read $(json_count cold blobs_read), RSS $RSS_MB MB"
    record "cold verify --read-data, $cold_files files of 4 KiB" "$WALL" "cat, inode order" "$cat_time" "<= 1.1" "$RSS_MB"
  fi
fi

echo "== results (load after: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '| %s | %s | %s | %s | %s | %s | %s |\n' run "bkcheck s" baseline "baseline s" ratio target "peak RSS MB"
printf '|---|---:|---|---:|---:|---|---:|\n'
for row in "${results[@]}"; do
  IFS='|' read -r what mine base base_time ratio_value target rss <<<"$row"
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$what" "$mine" "$base" "$base_time" "$ratio_value" "$target" "$rss"
done
