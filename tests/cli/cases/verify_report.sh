# verify --report FILE on a generated encrypted backup: one JSON line per index entry, then the
# trailer; with --read-data every file has its stored and plaintext SHA-256; the password given on
# the command line is hidden; FILE is refused inside the backup and over a file that is not a report,
# and --report does not go with --against-seal.
"$MAKE_BACKUP" --out b --encrypted --password pw --files 5 >/dev/null
dir=$(ls -d b/*/); dir=${dir%/}
"$BKCHECK" verify --read-data --password pw --report r.jsonl "$dir" 2>/dev/null | tail -1
echo "verify exit ${PIPESTATUS[0]}"
python3 - <<'PY'
import json
lines = [json.loads(line) for line in open("r.jsonl")]
trailer = lines.pop()
files = [e for e in lines if e["kind"] == "file"]
print("entries", len(lines), "records", trailer["counts"]["records"], "verdict", trailer["verdict"])
print("files with both digests", sum(1 for e in files if e["sha256_stored"] and e["sha256_plain"]), "of", len(files))
print("levels", sorted(set(e["level"] for e in lines)))
print("command line", " ".join(trailer["command_line"][:5]))
PY
stat -c %a r.jsonl
"$BKCHECK" verify --password pw --report r.jsonl "$dir" >/dev/null; echo "again, no --read-data: exit $?"
python3 -c 'import json; print("digests without --read-data:", sum(1 for l in open("r.jsonl") if json.loads(l).get("sha256_stored")))'
echo notes > notes.txt
"$BKCHECK" verify --password pw --report notes.txt "$dir" >/dev/null 2>&1; echo "over notes: exit $?"
"$BKCHECK" verify --password pw --report "$dir/r.jsonl" "$dir" >/dev/null 2>&1; echo "inside the backup: exit $?"
"$BKCHECK" verify --against-seal --report r2.jsonl "$dir" >/dev/null 2>&1; echo "with --against-seal: exit $?"
