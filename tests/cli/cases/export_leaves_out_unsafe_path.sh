# A record whose path leaves its domain (record.unsafe_path, an error) is left out of an export, as
# other damaged records are, so the export verifies clean (before: copied in, and the export was
# "damaged").
. "$CLI_TOOLS"
command -v sqlite3 >/dev/null || { echo "sqlite3 (the command) is needed: tools/install_dependencies.sh installs it" >&2; exit 9; }
dir=$("$MAKE_BACKUP" --out root --files 10) || exit 9
row=$(sqlite3 "${dir:?}/Manifest.db" "SELECT fileID || '|' || domain FROM Files WHERE flags = 2 ORDER BY rowid LIMIT 1")
old=${row%%|*} domain=${row#*|}
new=$(printf '%s' "$domain-../escape" | sha1_hex)  # a consistent fileID: only the path is wrong
sqlite3 "${dir:?}/Manifest.db" "UPDATE Files SET fileID = '$new', relativePath = '../escape' WHERE fileID = '$old'" || exit 9
"$BKCHECK" verify "$dir" | grep -c '^error record.unsafe_path'
"$BKCHECK" export "$dir" out | grep -E 'record.unsafe_path|^Exported'
"$BKCHECK" verify out/* | grep -E '^Verdict: [a-z]+' -o
