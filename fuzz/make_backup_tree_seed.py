# Builds a fuzz_backup_tree seed with a Manifest.db (and with `wal`, a -wal holding a committed
# change) from a make_backup folder (input format: fuzz_backup_tree.cpp). The index is copied with
# 512-byte pages so the seed stays under the fuzzer's 64 KiB; blobs are cut at 8 KiB.
#   make_backup --out /tmp/s --format db --files 2 --seed 5 \
#       --udid 3140c4b7d3e6bc3df24ab1fb07139f86bef32641
#   python3 fuzz/make_backup_tree_seed.py /tmp/s/3140c4b7d3e6bc3df24ab1fb07139f86bef32641 \
#       fuzz/corpus/fuzz_backup_tree/generated-db-wal wal      (or "plain" for generated-db)
import os, shutil, sqlite3, struct, sys, tempfile
src, out, with_wal = sys.argv[1], sys.argv[2], sys.argv[3] == "wal"
work = tempfile.mkdtemp()
db = os.path.join(work, "Manifest.db")
con = sqlite3.connect(os.path.join(src, "Manifest.db"))
con.execute("PRAGMA page_size=512")
con.execute("VACUUM INTO ?", (db,))
con.close()
ids = [r[0] for r in sqlite3.connect(db).execute("SELECT fileID FROM Files WHERE flags=1 ORDER BY rowid")]
wal = None
if with_wal:
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL"); con.execute("PRAGMA wal_autocheckpoint=0")
    # a committed change only the -wal holds: the last file's row moves to a new fileID
    con.execute("UPDATE Files SET relativePath = relativePath || '-wal' WHERE fileID = ?", (ids[-1],))
    wal_bytes = open(db + "-wal", "rb").read(); db_bytes = open(db, "rb").read()
    con.close()  # would checkpoint: the copies above are what a crashed device leaves
    wal = wal_bytes
else:
    db_bytes = open(db, "rb").read()
records = []
def rec(tag, payload):
    assert len(payload) < 65536
    records.append(bytes([tag]) + struct.pack("<H", len(payload)) + payload)
for tag, name in ((0, "Info.plist"), (1, "Status.plist"), (2, "Manifest.plist")):
    rec(tag, open(os.path.join(src, name), "rb").read())
rec(3 | 0x80, db_bytes)
if wal: rec(3 | 0x80 | 0x10, wal)
for k, file_id in enumerate(ids):
    path = os.path.join(src, file_id[:2], file_id)
    if os.path.exists(path): rec(5 | 0x10, bytes([k]) + open(path, "rb").read()[:8192])
data = bytes([0x01]) + b"".join(records)  # read_data
assert len(data) <= 65536, len(data)
open(out, "wb").write(data)
shutil.rmtree(work)
print(out, len(data))
