# Progress goes to stderr only when stderr is a terminal: here stderr is a file, so it stays empty
# while --read-data reads 40 MB. Under `script` (a pseudo-terminal) the rate-limited progress line
# shows the phase, bytes done of the total, and is erased at the end.
dir=$("$MAKE_BACKUP" --out gen --files 60 --bulk-file-bytes 1000000 --seed 3) || exit 9
"$BKCHECK" verify --read-data --jobs 2 "$dir" >/dev/null || exit 8
command -v script >/dev/null || { echo "no script(1): terminal half skipped"; exit 0; }
script -qec "'$BKCHECK' verify --read-data --jobs 2 '$dir' >/dev/null" /dev/null >tty.txt </dev/null || exit 7
grep -ao 'reading blobs: [0-9]*% ([0-9.]* [kMG]*B of [0-9.]* [kMG]*B' tty.txt | head -1 | sed 's/[0-9.]\+/N/g'
