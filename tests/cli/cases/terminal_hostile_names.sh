# Names crafted against a terminal — escape sequences (clear the screen, set the window title, a
# hyperlink), a newline followed by a fake "Verdict: ok", a carriage return, C1 controls and bytes
# that are not UTF-8 — in the folder name, the device name, domains, paths and a symlink target.
# Every verb's text output, stdout and stderr, shows them escaped: no control character but the
# newline, no C1 control, only UTF-8, and no line of its own made by a name.
folder=$'00008030-\e]0;pwned\a\e[2J\nVerdict: ok\r\xff'
dir=$("$MAKE_BACKUP" --out in --files 6 --hostile-names --folder "$folder" --damage orphan_blob)
[ -d "$dir" ] || { echo "no backup"; exit 1; }

check() {  # a label, then the command; prints "<label>: clean" or what is wrong
  local label=$1 problems=""
  shift
  "$@" >out 2>&1
  [ -s out ] || problems+=" no-output"
  LC_ALL=C grep -qaP '[\x00-\x09\x0b-\x1f\x7f]' out && problems+=" control-character"
  LC_ALL=C grep -qaP '\xc2[\x80-\x9f]' out && problems+=" c1-control"
  iconv -f UTF-8 -t UTF-8 out >/dev/null 2>&1 || problems+=" not-utf8"
  grep -qa '^Verdict: ok' out && problems+=" fake-line"
  echo "$label:${problems:- clean}"
  cp out "out.$label"
}

check list "$BKCHECK" list in
check info "$BKCHECK" info "$dir"
check info-missing "$BKCHECK" info "$dir/$folder"
check doctor "$BKCHECK" doctor -v in
check verify "$BKCHECK" verify --read-data "$dir"
check verify-seal "$BKCHECK" verify --read-data --seal "$dir"
check verify-json "$BKCHECK" verify --json "$dir"
check ls "$BKCHECK" ls "$dir"
check ls-json "$BKCHECK" ls --json "$dir"
check usage "$BKCHECK" usage "$dir"
check extract "$BKCHECK" extract "$dir" x
check export "$BKCHECK" export "$dir" e
check unlock "$BKCHECK" unlock "$dir"
check prune "$BKCHECK" prune in
check repair "$BKCHECK" repair "$dir"
check repair-apply "$BKCHECK" repair --apply "$dir"
check undo-list "$BKCHECK" undo --list in
check undo "$BKCHECK" undo in
check purge "$BKCHECK" purge in

# The names are there, escaped (not dropped).
grep -qF 'Library/\x1b[2J\x1b[H\x1b]0;pwned\x07cleared.txt' out.verify && echo "verify shows the escaped path"
grep -qF 'x\nVerdict: ok. The backup should restore.\r\x1b[Kfake.txt' out.ls && echo "ls shows the escaped path"
grep -qF 'c1\u009b31m\x9b7m\xff\xfe\x7f.txt' out.ls && echo "ls shows C1 and invalid bytes escaped"
grep -qF 'Evil\x1b]0;pwned\x07\x1b[2J\nVerdict: ok\u009b31m iPhone' out.list && echo "list shows the escaped device name"
grep -qF '\x1b]0;pwned\x07\x1b[2J\nVerdict: ok\r\xff' out.info && echo "info shows the escaped folder name"
# JSON cannot carry a name that is not UTF-8: ls --json gives its exact bytes as hex, and says so.
grep -A3 '"names_escaped": true' out.ls-json | grep -q '"path_hex": "4c6962726172792f6331c29b33316d9b376dfffe7f2e747874"' &&
  echo "ls --json gives the exact bytes of the name that is not UTF-8"
grep -c '"names_escaped"' out.ls-json
exit 0
