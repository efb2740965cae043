# Issue 28: a backup holding names other disks refuse or merge (SMS.db beside sms.db, "a:b.txt",
# "draft.", "CON.txt", café in NFC and NFD, Library/notes beside Library/Notes). On this Linux disk
# extract writes them as they are (native); --names portable writes a copy no disk will refuse or
# merge, each renamed file reported with its original path and the name it was written as, and a
# second run with --overwrite replaces each file only by its own record's content.
dir=$("$MAKE_BACKUP" --out gen --files 6 --clashing-names)
"$BKCHECK" extract "$dir" native | grep -c name.renamed
"$BKCHECK" extract --names portable "$dir" out; echo "exit $?"
(cd out/HomeDomain/Library && ls -d SMS/* Notes/* notes*/*) | LC_ALL=C sort
# The content of each: sms.db's under its distinct name, SMS.db's under its own.
cmp out/HomeDomain/Library/SMS/sms%~*.db native/HomeDomain/Library/SMS/sms.db && echo "sms.db kept apart"
cmp out/HomeDomain/Library/SMS/SMS.db native/HomeDomain/Library/SMS/SMS.db && echo "SMS.db its own"
find out -type f | LC_ALL=C sort > before.txt
"$BKCHECK" extract --names portable --overwrite "$dir" out | grep -E '^Extracted'
find out -type f | LC_ALL=C sort | diff before.txt - && echo "same names after --overwrite"
cmp out/HomeDomain/Library/SMS/sms%~*.db native/HomeDomain/Library/SMS/sms.db && echo "sms.db still its own"
"$BKCHECK" extract --names windows "$dir" other; echo "exit $?"
# export names blobs by fileID, which every disk takes: only the folder's own name can change.
old=$("$MAKE_BACKUP" --out gen2 --files 6 --clashing-names --folder "Old: iPhone")
"$BKCHECK" export --names portable "$old" exported | grep -E 'name.renamed|^Exported'
"$BKCHECK" ls "exported/Old%3A iPhone" --path 'Library/SMS/*'
