# On a disk that folds case (Windows, macOS by default), an output folder inside the backup spelt in
# another case is the backup's folder all the same: extract and export refuse it (exit 2) and write
# nothing, as for the same spelling. (Before, only the spelling was compared, and both wrote into
# the backup.) A disk that does not fold case has no such path: SKIP.
. "$CLI_TOOLS"
cp -r "$TESTDATA"/backups/plain-ios17 root
dir=$(ls -d root/*/)
other=$(printf '%s' "${dir%/}" | tr 'a-z' 'A-Z')
[ -d "$other" ] || { echo SKIP; exit 0; }
before=$(file_sums root)
"$BKCHECK" extract "$dir" "$other/out" 2>err1.txt; echo "extract exit $?"
"$BKCHECK" export "$dir" "$other/export" 2>err2.txt; echo "export exit $?"
grep -c "inside the backup" err1.txt err2.txt
[ "$(file_sums root)" = "$before" ] && echo "backup unchanged"
