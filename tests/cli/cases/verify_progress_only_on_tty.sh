# Progress goes to stderr only when stderr is a terminal: here stderr is a file, so it stays empty
# while --read-data reads 40 MB. On a pseudo-terminal (in_terminal) the rate-limited progress line
# shows the phase, bytes done of the total, and is erased at the end.
. "$CLI_TOOLS"
dir=$("$MAKE_BACKUP" --out gen --files 60 --bulk-file-bytes 1000000 --seed 3) || exit 9
"$BKCHECK" verify --read-data --jobs 2 "$dir" >/dev/null || exit 8
in_terminal "'$BKCHECK' verify --read-data --jobs 2 '$dir' >/dev/null" >tty.txt </dev/null || exit 7
grep -ao 'reading blobs: [0-9]*% ([0-9.]* [kMG]*B of [0-9.]* [kMG]*B' tty.txt | head -1 | sed -E 's/[0-9.]+/N/g'
