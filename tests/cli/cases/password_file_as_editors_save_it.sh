# A password file is read as the editors of each platform save it: UTF-8 with a byte order mark
# (Notepad, Set-Content -Encoding UTF8), UTF-16 with its mark (Windows PowerShell 5.1's
# `echo password > file`), Windows line ends. Before, each of these was "wrong password" (exit 4).
enc=$("$MAKE_BACKUP" --out enc --encrypted --files 5) || exit 9
printf 'bkcheck-demo\n' >plain.txt
printf '\xef\xbb\xbfbkcheck-demo\r\n' >utf8-bom.txt
printf 'bkcheck-demo\r\n' | python3 -c 'import sys; sys.stdout.buffer.write(b"\xff\xfe" + sys.stdin.buffer.read().decode().encode("utf-16-le"))' >utf16le.txt
printf 'bkcheck-demo' | python3 -c 'import sys; sys.stdout.buffer.write(b"\xfe\xff" + sys.stdin.buffer.read().decode().encode("utf-16-be"))' >utf16be.txt
printf 'not-the-password\n' >wrong.txt
for file in plain.txt utf8-bom.txt utf16le.txt utf16be.txt wrong.txt; do
  "$BKCHECK" verify --password-file "$file" "$enc" >/dev/null 2>&1; echo "$file: exit $?"
done
