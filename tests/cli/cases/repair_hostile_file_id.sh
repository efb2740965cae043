# A crafted Manifest.db row whose fileID is a path (../outside/secret.txt): repair drops the record
# without touching any file, the file outside stays where it is, and undo lists and reverses the run.
command -v sqlite3 >/dev/null || { echo "sqlite3 (the command) is needed: tools/install_dependencies.sh installs it" >&2; exit 9; }
dir=$("$MAKE_BACKUP" --out root --files 10) || exit 9
mkdir outside && echo secret >outside/secret.txt
sqlite3 "${dir:?}/Manifest.db" "UPDATE Files SET fileID='../outside/secret.txt'
  WHERE rowid = (SELECT min(rowid) FROM Files WHERE flags = 1)" || exit 9
"$BKCHECK" verify "$dir" | grep -c 'the fileID "../outside/secret.txt" is not 40 lowercase hex digits'
"$BKCHECK" repair --apply "$dir" | grep -E 'names no file|^Applied as run|verify says'
echo "outside: $(cat outside/secret.txt)"
[ -z "$(find root/.bkcheck-quarantine -name secret.txt)" ] && echo "nothing named secret.txt in the quarantine"
"$BKCHECK" undo --list root | grep -c repair
"$BKCHECK" undo root | grep -o 'Undid run'
echo "outside: $(cat outside/secret.txt)"
"$BKCHECK" verify "$dir" | grep -c 'the fileID "../outside/secret.txt"'
