# --hash-list on the real encrypted iOS 9 backup: `sha256sum -c` passes in OUT for an extract and
# an export (the one missing blob is simply not written, so not listed).
src="$SHARED/fixtures/real/hackvent2020-ios9-encrypted/65195ba5-2dac-49a4-9606-c9d8733bebcf"
[ -d "$src" ] || { echo SKIP; exit 0; }
echo 20201225 > pw
"$BKCHECK" extract --password-file pw --hash-list extract.sha256 "$src" out >/dev/null
echo "extract exit $?"
(cd out && sha256sum -c --quiet ../extract.sha256) && echo "extract list: OK, $(wc -l <extract.sha256) files"
"$BKCHECK" export --password-file pw --hash-list export.sha256 "$src" exported >/dev/null
echo "export exit $?"
(cd exported && sha256sum -c --quiet ../export.sha256) && echo "export list: OK, $(wc -l <export.sha256) files"
