# verify --read-data --report on the real encrypted iOS 9.3.6 backup: every blob's plaintext SHA-256
# in the report equals the one an independent decryptor gets (Python: plistlib, hashlib and the
# `cryptography` package, following format.md §4-5 from scratch), and every stored SHA-256 equals
# hashlib's of the blob file; the missing blob has no digest; the trailer hides the password.
src="$SHARED/fixtures/real/hackvent2020-ios9-encrypted/65195ba5-2dac-49a4-9606-c9d8733bebcf"
[ -d "$src" ] || { echo SKIP; exit 0; }
python3 -c 'import cryptography' 2>/dev/null || { echo SKIP; exit 0; }
"$BKCHECK" verify --read-data --password 20201225 --report r.jsonl "$src" >/dev/null 2>&1
echo "verify exit $?"
python3 - "$src" r.jsonl <<'PY'
import hashlib, json, plistlib, sys
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.keywrap import aes_key_unwrap

src, report = sys.argv[1], sys.argv[2]
keybag = plistlib.load(open(src + "/Manifest.plist", "rb"))["BackupKeyBag"]
header, classes, i = {}, [], 0
while i + 8 <= len(keybag):
    tag, n = keybag[i:i + 4].decode(), int.from_bytes(keybag[i + 4:i + 8], "big")
    value = keybag[i + 8:i + 8 + n]
    i += 8 + n
    if tag == "UUID" and "UUID" in header:
        classes.append({})
    if classes:
        classes[-1][tag] = value
    else:
        header[tag] = value
passcode = hashlib.pbkdf2_hmac("sha1", b"20201225", header["SALT"],
                               int.from_bytes(header["ITER"], "big"), 32)
class_keys = {}
for c in classes:
    if int.from_bytes(c["WRAP"], "big") == 2:
        class_keys[int.from_bytes(c["CLAS"], "big")] = aes_key_unwrap(passcode, c["WPKY"])

mbdb = open(src + "/Manifest.mbdb", "rb").read()
pos = 6
def string():
    global pos
    n = int.from_bytes(mbdb[pos:pos + 2], "big"); pos += 2
    if n == 0xFFFF: return None
    s = mbdb[pos:pos + n]; pos += n
    return s
expected = {}
while pos < len(mbdb):
    domain, path, target, digest, key = string(), string(), string(), string(), string()
    mode = int.from_bytes(mbdb[pos:pos + 2], "big")
    pos += 2 + 8 + 4 + 4 + 12 + 8 + 1
    properties = mbdb[pos]; pos += 1
    for _ in range(2 * properties): string()
    if mode & 0xF000 != 0x8000 or not key: continue
    file_id = hashlib.sha1(domain + b"-" + path).hexdigest()
    try:
        blob = open(src + "/" + file_id, "rb").read()
    except FileNotFoundError:
        expected[file_id] = None
        continue
    file_key = aes_key_unwrap(class_keys[int.from_bytes(key[:4], "little")], key[4:])
    plain = Cipher(algorithms.AES(file_key), modes.CBC(bytes(16))).decryptor().update(blob)
    pad = plain[-1]
    assert 1 <= pad <= 16 and plain[-pad:] == bytes([pad]) * pad, file_id
    expected[file_id] = (hashlib.sha256(blob).hexdigest(), hashlib.sha256(plain[:-pad]).hexdigest())

lines = [json.loads(line) for line in open(report)]
trailer = lines.pop()
got = {e["file_id"]: e for e in lines if e["kind"] == "file"}
matched = missing = 0
for file_id, want in expected.items():
    entry = got[file_id]
    if want is None:
        assert entry["sha256_stored"] is None and entry["sha256_plain"] is None, entry
        missing += 1
    else:
        assert (entry["sha256_stored"], entry["sha256_plain"]) == want, (entry, want)
        matched += 1
print("entries", len(lines), "matched", matched, "missing without digest", missing)
print("trailer", trailer["type"], trailer["verdict"], "20201225" in json.dumps(trailer),
      trailer["index_files"]["Manifest.mbdb"] == hashlib.sha256(mbdb).hexdigest())
PY
