# verify --deep --report: the trailer's counts have what --deep adds (levels.content, blobs_decoded,
# not_decoded), and they agree with the entries' levels (trial: the trailer lacked them). Plain and
# encrypted.
plain=$("$MAKE_BACKUP" --out plain --files 0 --real-content 3000000)
encrypted=$("$MAKE_BACKUP" --out encrypted --files 0 --real-content 3000000 --encrypted)
echo bkcheck-demo >password
for dir in "$plain" "$encrypted"; do
  "$BKCHECK" verify --deep --password-file password --report r.jsonl "$dir" >/dev/null 2>&1
  echo "exit $?"
  python3 - <<'PY'
import json
lines = [json.loads(line) for line in open("r.jsonl")]
trailer = lines.pop()
counts = trailer["counts"]
at_content = sum(1 for e in lines if e["level"] == "content")
print("content", counts["levels"]["content"], "entries at content", at_content,
      "decoded", counts["blobs_decoded"], "not decoded", sorted(counts["not_decoded"].items()))
PY
  rm r.jsonl
done
