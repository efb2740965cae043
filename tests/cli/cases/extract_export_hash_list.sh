# extract and export --hash-list FILE: a sha256sum list of what was written, paths relative to OUT,
# that `sha256sum -c` run in OUT passes (encrypted: the digests are of the plaintext written) and
# fails once a written file changes; the list is not taken inside a backup folder, nor over a file
# that exists, an earlier list included (replaced only with --overwrite: a sha256sum list looks the
# same whoever wrote it).
"$MAKE_BACKUP" --out b --encrypted --password pw --files 6 --clashing-names >/dev/null
dir=$(ls -d b/*/); dir=${dir%/}
echo pw > pw
"$BKCHECK" extract --password-file pw --hash-list extract.sha256 "$dir" out >extract.out
echo "extract exit $?"; tail -1 extract.out
(cd out && sha256sum -c --quiet ../extract.sha256) && echo "extract list: OK"
[ "$(wc -l <extract.sha256)" = "$(find out -type f | wc -l)" ] && echo "every file in out is listed"
"$BKCHECK" export --password-file pw --hash-list export.sha256 "$dir" exported | tail -1
(cd exported && sha256sum -c --quiet ../export.sha256) && echo "export list: OK"
grep -c '  [^/]*/Manifest.db$' export.sha256
# A changed byte in the copy is caught.
f=$(find exported -type f -path '*/??/*' | head -1); printf 'x' >>"$f"
(cd exported && sha256sum -c --quiet ../export.sha256 >/dev/null 2>&1) || echo "changed copy: FAILED as it should"
# An existing file, an earlier list too, is replaced only with --overwrite; a path inside the
# backup is refused.
"$BKCHECK" extract --password-file pw --hash-list extract.sha256 "$dir" out2 >/dev/null 2>&1; echo "again: exit $?"
"$BKCHECK" extract --password-file pw --overwrite --hash-list extract.sha256 "$dir" out2 >/dev/null; echo "again, --overwrite: exit $?"
echo "my notes" > notes.txt
"$BKCHECK" extract --password-file pw --hash-list notes.txt "$dir" out3 >/dev/null; echo "over notes: exit $?"
[ -d out3 ] || echo "out3 not created"
"$BKCHECK" extract --password-file pw --hash-list "$dir/list.sha256" "$dir" out4 >/dev/null; echo "inside the backup: exit $?"
