# An Info.plist that is an empty dict parses, but holds nothing Finder and iTunes need (no UDID,
# device name, model or iOS version): verify warns (info_plist.incomplete) with repair's remedy, and
# repair rebuilds it from Manifest.plist, after which verify is clean.
"$MAKE_BACKUP" --out b --files 3 >/dev/null
dir=$(ls -d b/*/); dir=${dir%/}
cat > "$dir/Info.plist" <<'PLIST'
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict/>
</plist>
PLIST
"$BKCHECK" verify "$dir"
echo "verify: exit $?"
"$BKCHECK" repair "$dir" >out
echo "repair: exit $?"
grep -A1 '^  rebuild_info_plist' out
"$BKCHECK" repair --apply "$dir" | grep '^After the repair'
"$BKCHECK" verify "$dir" | tail -n 2
