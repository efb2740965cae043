# A fake macOS home with one real-format backup and one archived copy; list finds both.
root="home/Library/Application Support/MobileSync/Backup"
mkdir -p "$root"
udid=00008030-001A35E11A88802E
for folder in $udid $udid-20240101-120000; do
  mkdir "$root/$folder"
  cat > "$root/$folder/Status.plist" <<'PLIST'
<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict><key>SnapshotState</key><string>finished</string></dict></plist>
PLIST
done
"$BKCHECK" list --platform macos --home home --json
