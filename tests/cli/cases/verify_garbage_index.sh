# A Manifest.db that is not a database: unreadable, exit 1, never a crash.
dir=$("$MAKE_BACKUP" --out . --files 3)
head -c 5000 /dev/urandom > "$dir/Manifest.db"
"$BKCHECK" verify "$dir"
