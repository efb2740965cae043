# verify --deep looks into files the index cannot vouch for: a backup of real-shaped databases,
# plists, photos and videos decodes to level content; a movie whose 'moov' box is gone (what a copy
# cut short before it leaves) is one content.media_truncated, which --read-data cannot see. Encrypted
# too, decrypted in memory.
plain=$("$MAKE_BACKUP" --out plain --files 0 --real-content 3000000)
"$BKCHECK" verify --deep "$plain" | tail -n 3
encrypted=$("$MAKE_BACKUP" --out encrypted --files 0 --real-content 3000000 --encrypted)
echo bkcheck-demo >password
"$BKCHECK" verify --deep --password-file password "$encrypted" | tail -n 3
# Rename the QuickTime movie's moov box (its index of frames), in place: same length, no Digest.
id=$(printf '%s' "CameraRollDomain-Media/DCIM/100APPLE/IMG_0007.MOV" | sha1sum | cut -c1-40)
blob=$plain/${id:0:2}/$id
offset=$(grep -obUaP 'moov' "$blob" | head -n 1 | cut -d: -f1)
printf 'free' | dd of="$blob" bs=1 seek="$offset" conv=notrunc status=none
"$BKCHECK" verify --read-data "$plain" | tail -n 2
"$BKCHECK" verify --deep "$plain" | grep -A1 -E '^error'
"$BKCHECK" verify --deep --json "$plain" | grep -E '"(content|blobs_decoded)"'
