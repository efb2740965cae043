# unlock --hash-line: the keybag as hashcat/John read it, with no password asked (stdin is closed
# and no password is set), from a folder holding only Manifest.plist; mode 10 for a keybag with
# DPSL/DPIC, mode 9 without; refused for an unencrypted backup (nothing to recover) and with
# --save-key (no key is derived).
unset BKCHECK_PASSWORD
"$MAKE_BACKUP" --out g --encrypted --password pw --files 2 >/dev/null
mkdir only && cp g/*/Manifest.plist only/
"$BKCHECK" unlock --hash-line only </dev/null
echo "generated: exit $?"
"$BKCHECK" unlock --hash-line --save-key k only </dev/null
echo "with --save-key: exit $?"
"$BKCHECK" unlock --hash-line "$TESTDATA"/backups/plain-ios17/*/ </dev/null
echo "unencrypted: exit $?"
