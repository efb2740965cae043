# A modern UDID (00008030-..., uppercase hex) is not a renamed folder; an unreadable Manifest.plist
# leaves the encryption unknown, never "not encrypted", and the UDID unknown when no plist names it.
dir=$("$MAKE_BACKUP" --out a --udid 00008030-001A35E11A88802E --files 4) || exit 9
"$BKCHECK" info "$dir" | grep -E 'UDID|Folder name'
"$BKCHECK" verify --json "$dir" | grep -c folder.name_mismatch
dir=$("$MAKE_BACKUP" --out b --folder my-copy --files 4 --damage manifest_plist_unreadable --damage info_plist_missing) || exit 9
"$BKCHECK" list b | grep -o 'encryption unknown'
"$BKCHECK" list --json b | grep -o '"udid": null\|"encrypted": null'
"$BKCHECK" verify --no-password "$dir" | grep -o 'encryption unknown'
"$BKCHECK" info "$dir" | grep UDID
