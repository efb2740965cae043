# Issue 21, point 2: retention weighs health. The newest backup of a device lost a blob, an archived
# copy before it is sound, an older archived copy too: --keep-last 1 keeps the damaged newest (not
# counted) and the newest sound one, removes the oldest, and says why for each; --apply then leaves
# the sound backup in place. --json carries the same reasons.
udid=00008030-001a35e11a880021
"$MAKE_BACKUP" --out root --files 5 --udid "$udid" --seed 1 --date 1717236900 --damage blob_missing >/dev/null
"$MAKE_BACKUP" --out root --files 5 --udid "$udid" --seed 2 --date 1714558500 --folder "$udid-20240501-101500" >/dev/null
"$MAKE_BACKUP" --out root --files 5 --udid "$udid" --seed 3 --date 1711966500 --folder "$udid-20240401-101500" >/dev/null
"$BKCHECK" prune --keep-last 1 root; echo "exit $?"
"$BKCHECK" prune --keep-last 1 --json root | grep -E '"(kind|subject|reason)"|kept' | sed 's/^ *//'
"$BKCHECK" prune --keep-last 1 --apply root >/dev/null; echo "exit $?"
ls root
