# Issue 18, point 2, as an adversarial trial found it: backup A's blob folders 00, 01 and 3d are
# symlinks to those of B, a second backup of the same device beside it. verify reports each link
# (blob.link) and does not call the records behind them missing; repair --apply (which also drops
# the record of a blob A really lacks, in a folder of its own) and undo leave B byte for byte as it
# was (B still verifies ok); and a misplaced blob whose right folder is a link is not moved into
# it: nothing is written through the link.
. "$CLI_TOOLS"
udid=00008030-001A35E11A88802E
a=$("$MAKE_BACKUP" --out root --files 200 --udid "$udid" --damage blob_missing)
b=$("$MAKE_BACKUP" --out root --files 200 --udid "$udid" --folder "$udid-20240101-120000")
for folder in 00 01 3d; do
  [ -d "$a/$folder" ] || continue
  rm -r "${a:?}/$folder" && ln -s "../$(basename "$b")/$folder" "$a/$folder" && echo "linked $folder"
done
sums() { file_sums "$1"; }
before=$(sums "$b")

"$BKCHECK" verify "$a" >verify.txt; echo "verify exit $?"
grep -c 'the blob folder is a symbolic link to "../'"$udid"'-20240101-120000/' verify.txt
grep -c 'index entr.* content is behind this link and was not checked' verify.txt
grep -c 'orphan' verify.txt
grep -A1 'blob.missing' verify.txt | grep -o "content ([0-9a-f/]*)"
"$BKCHECK" verify --json "$a" | grep -o '"code": *"[a-z_.]*"' | sort | uniq -c | sed 's/^ *//'

"$BKCHECK" repair --apply "$a" >repair.txt; echo "repair exit $?"
grep -c 'blob.link: .. is a symbolic link' repair.txt
grep -o '[0-9]* records kept, [0-9]* dropped' repair.txt
grep -c 'remove_damaged_blobs\|move_misplaced_blob' repair.txt
grep -o 'After the repair, verify says: [a-z]*' repair.txt
[ "$before" = "$(sums "$b")" ] && echo "B unchanged"
"$BKCHECK" undo root >/dev/null; echo "undo exit $?"
[ "$before" = "$(sums "$b")" ] && echo "B unchanged after undo"
"$BKCHECK" verify -q "$b"; echo "B verify exit $?"
for folder in 00 01 3d; do [ -L "$a/$folder" ] && echo "$folder still a link"; done

# A misplaced blob whose right folder is a link to the sibling's, which lacks the blob.
a2=$("$MAKE_BACKUP" --out root2 --files 60 --udid "$udid" --damage blob_misplaced)
b2=$("$MAKE_BACKUP" --out root2 --files 60 --udid "$udid" --folder "$udid-20240101-120000")
line=$("$BKCHECK" verify "$a2" | grep 'the file.s content is at')
at=$(echo "$line" | sed 's/.* is at \([0-9a-f]*\/[0-9a-f]*\) instead of .*/\1/')
right=$(echo "$line" | sed 's/.* instead of \([0-9a-f]*\)\/.*/\1/')
rm "$b2/$right/$(basename "$at")"
mkdir -p "$b2/$right"
rm -rf "${a2:?}/$right" && ln -s "../$(basename "$b2")/$right" "$a2/$right"
before2=$(sums "$b2")
"$BKCHECK" verify "$a2" >verify2.txt; echo "verify2 exit $?"
grep -c 'misplaced' verify2.txt
grep -o "^  $right: the blob folder is a symbolic link" verify2.txt | sed "s/$right/RIGHT/"
"$BKCHECK" repair --apply "$a2" >repair2.txt; echo "repair2 exit $?"
grep -c 'move_misplaced_blob' repair2.txt
[ "$before2" = "$(sums "$b2")" ] && echo "B2 unchanged"
[ -f "$a2/$at" ] && echo "the stray copy stays where it was"
