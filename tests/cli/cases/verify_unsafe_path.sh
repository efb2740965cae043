# A Manifest.db row whose relativePath climbs out of its domain ("../../../evil.plist", with a
# matching fileID and blob) is an error that says why; repair drops it, and verify is then clean.
. "$CLI_TOOLS"
command -v sqlite3 >/dev/null || { echo "sqlite3 (the command) is needed: tools/install_dependencies.sh installs it" >&2; exit 9; }
dir=$("$MAKE_BACKUP" --out root --files 10) || exit 9
row=$(sqlite3 "${dir:?}/Manifest.db" "SELECT fileID || ' ' || domain FROM Files WHERE flags = 1 ORDER BY rowid LIMIT 1")
old=${row%% *} domain=${row#* }
path='../../../private/var/mobile/Library/evil.plist'
new=$(printf '%s' "$domain-$path" | sha1_hex)
mkdir -p "$dir/${new:0:2}" && mv "$dir/${old:0:2}/$old" "$dir/${new:0:2}/$new" || exit 9
rmdir "$dir/${old:0:2}" 2>/dev/null
sqlite3 "${dir:?}/Manifest.db" "UPDATE Files SET fileID='$new', relativePath='$path' WHERE fileID='$old'" || exit 9
"$BKCHECK" verify "$dir"; echo "verify exit $?"
"$BKCHECK" repair --apply "$dir" | grep -E 'record.unsafe_path\)|^After the repair'
"$BKCHECK" verify "$dir" >/dev/null; echo "verify after repair exit $?"
