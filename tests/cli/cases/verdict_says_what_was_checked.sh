# Issue 20, points 1, 2, 3 and 8: never "ok" for what was not examined (exit 6, verify, doctor and
# repair alike), the files counted by level, one finding per damaged file, and an index that lost its
# rows is damage that prune does not turn into orphans.
. "$CLI_TOOLS"
enc=$("$MAKE_BACKUP" --out enc --encrypted --files 20)
"$BKCHECK" verify --no-password "$enc" >v.txt; echo "verify exit $?"
grep -o 'Not examined: the index, and every file it lists ([0-9]* blobs are in the backup.s folders, none checked)' v.txt
grep -o 'Verdict: unchecked\. Not everything could be examined' v.txt
"$BKCHECK" verify --json --no-password "$enc" | grep -o '"verdict": *"[a-z]*"\|"index_examined": *[a-z]*'
"$BKCHECK" doctor "$enc" >d.txt; echo "doctor exit $?"
grep -o 'warning \[backup.unchecked\]' d.txt
grep -c 'No problem found' d.txt
"$BKCHECK" repair --no-password "$enc" >r.txt; echo "repair exit $?"
grep -c 'Nothing to repair' r.txt
grep -o 'Not examined: the index could not be read' r.txt
# With the password everything is read: ok, exit 0, by level.
"$BKCHECK" verify --read-data --password bkcheck-demo "$enc" 2>/dev/null >p.txt; echo "verify with password exit $?"
grep -o 'Files verified to: [0-9]* digest[^,]*, [0-9]* length, 0 present, 0 not checked, 0 damaged' p.txt | sed 's/^[0-9]* digest/N digest/; s/, [0-9]* length/, N length/; s/to: [0-9]* digest/to: N digest/'
grep -o 'Verdict: [a-z]*' p.txt

# Point 3: a truncated blob, plain and encrypted: one finding each.
plain=$("$MAKE_BACKUP" --out plain --format mbdb --files 20)
blob=$(find "$plain" -type f -size +1k -name '????????????????????????????????????????' | sort | head -1)
set_size "$blob" -5
"$BKCHECK" verify --read-data --json "$plain" | grep -o '"code": *"[a-z_.]*"' | sort | uniq -c | sed 's/^ *//'
blob=$(find "$enc" -type f -size +1k -path '*/??/*' | sort | head -1)
set_size "$blob" -5
"$BKCHECK" verify --read-data --password bkcheck-demo --json "$enc" 2>/dev/null | grep -o '"code": *"[a-z_.]*"' | sort | uniq -c | sed 's/^ *//'

# Point 8: Manifest.db with no rows beside its blobs.
empty=$("$MAKE_BACKUP" --out root --files 40)
sqlite3 "$empty/Manifest.db" 'DELETE FROM Files'
"$BKCHECK" verify "$empty" >e.txt; echo "verify empty exit $?"
grep -o 'manifest.empty (1)' e.txt
grep -c 'orphan.blob' e.txt
before=$(cd root && find . | sort)
"$BKCHECK" prune --apply root >/dev/null; echo "prune exit $?"
[ "$before" = "$(cd root && find . | sort)" ] && echo "no blob moved"

# The one finding left for a truncated blob still makes repair drop its record (k_drop_codes).
"$BKCHECK" repair --apply "$plain" | grep -o '[0-9]* records kept, [0-9]* dropped\|After the repair, verify says: [a-z]*'
"$BKCHECK" repair --apply --password bkcheck-demo "$enc" 2>/dev/null | grep -o '[0-9]* records kept, [0-9]* dropped\|After the repair, verify says: [a-z]*'
