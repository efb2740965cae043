# Windows: both the apple.com iTunes root (%APPDATA%) and the Microsoft Store root (%USERPROFILE%).
mkdir -p "appdata/Apple Computer/MobileSync/Backup/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
         "profile/Apple/MobileSync/Backup/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
printf 'x' > "appdata/Apple Computer/MobileSync/Backup/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Manifest.db"
printf 'x' > "profile/Apple/MobileSync/Backup/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/Manifest.db"
"$BKCHECK" list --platform windows --appdata appdata --userprofile profile
