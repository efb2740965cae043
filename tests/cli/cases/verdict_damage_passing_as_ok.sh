# Issue 20, point 8: damage that passed as ok. An encrypted backup with a missing and a wrong-size
# blob, verified without the password and without a terminal, is unchecked (exit 6), never ok; with
# the password both are found. Dates from 2069 on are read as they are (libplist's getter wrapped them
# round to 1932), so --keep-last keeps the 2070 backup and removes the 2068 one.
. "$CLI_TOOLS"
unset BKCHECK_PASSWORD
enc=$("$MAKE_BACKUP" --out enc --encrypted --files 30 --damage blob_missing --damage blob_size_mismatch)
"$BKCHECK" verify "$enc" </dev/null | grep -o 'Verdict: [a-z]*'; echo "exit ${PIPESTATUS[0]}"
"$BKCHECK" verify --read-data --password bkcheck-demo --json "$enc" 2>/dev/null | grep -o '"code": *"blob[a-z_.]*"' | sort | uniq -c | sed 's/^ *//'

udid=00008030-001A35E11A88802E
new=$("$MAKE_BACKUP" --out root --xml --files 5 --udid "$udid")
old=$("$MAKE_BACKUP" --out root --xml --files 5 --udid "$udid" --folder "$udid-old")
sed_in_place 's/<date>[^<]*</<date>2070-03-01T10:00:00Z</' "$new"/*.plist
sed_in_place 's/<date>[^<]*</<date>2068-03-01T10:00:00Z</' "$old"/*.plist
"$BKCHECK" list root | grep -o 'last backup [0-9-]*'
"$BKCHECK" prune --keep-last 1 root | grep -o 'remove_backup  [^ ]*'
