# A backup whose Info.plist is garbage: named on stderr, exit 1, the rest still described.
mkdir b && printf 'garbage' > b/Info.plist
cat > b/Status.plist <<'PLIST'
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict><key>SnapshotState</key><string>uploading</string></dict></plist>
PLIST
"$BKCHECK" info b
