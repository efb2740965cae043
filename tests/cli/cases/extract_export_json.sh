# extract and export --json: one JSON object on stdout (no text, no progress), the summary's counts
# and every finding, a renamed file with its original path and written_as; the exit code is the
# text run's.
"$MAKE_BACKUP" --out b --files 6 --clashing-names >/dev/null
dir=$(ls -d b/*/); dir=${dir%/}
"$BKCHECK" extract --json --names portable "$dir" out >extract.json; echo "extract exit $?"
python3 - <<'PY'
import json
j = json.load(open("extract.json"))
print("schema", j["schema_version"], "files", j["files"], "skipped", j["skipped"], "renamed", j["renamed"])
renamed = [f for f in j["findings"] if f["code"] == "name.renamed"]
print("renamed findings", len(renamed))
sms = [f for f in renamed if f["path"] == "Library/SMS/sms.db"][0]
print(sms["domain"], sms["path"], "->", sms["written_as"])
PY
"$BKCHECK" export --json --names portable "$dir" exported >export.json; echo "export exit $?"
python3 -c 'import json; j = json.load(open("export.json")); print("export records", j["records"], "files", j["files"], "skipped", j["skipped"])'
