# extract on a terminal: the progress line reads the files, then names the flush to disk that follows
# the last byte (it used to sit at 100% while the folders were synced) after reading 100%, and erases
# itself at the end.
. "$CLI_TOOLS"
dir=$("$MAKE_BACKUP" --out gen --files 60 --bulk-file-bytes 1000000 --seed 3) || exit 9
in_terminal "'$BKCHECK' extract '$dir' out >/dev/null" >tty.txt </dev/null || exit 7
grep -ao 'extract: [0-9]*% ([0-9.]* [kMG]*B of [0-9.]* [kMG]*B' tty.txt | head -1 | sed -E 's/[0-9.]+/N/g'
grep -ao 'extract: flushing to disk\.\.\.' tty.txt | head -1
# The last update before the flush is drawn as the phase ends, not as the last redraw left it (trial:
# 98% just before "flushing to disk...").
python3 -c 'import re; t = open("tty.txt", "rb").read(); t = t[:t.index(b"flushing to disk")]; print(re.findall(rb"extract: ([0-9]+)%", t)[-1].decode() + "% before the flush")'
# The flush is the last phase and its line is erased: nothing is left behind the summary.
python3 -c 'import sys; t = open("tty.txt", "rb").read(); print("erased-after-flush" if t.rstrip(b"\n").endswith(b"flushing to disk...\r\x1b[K") else repr(t[-80:]))'
