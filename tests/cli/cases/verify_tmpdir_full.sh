# TMPDIR on a full filesystem (a 64 KiB tmpfs; needs root and mount, else SKIP): exit 5 with the
# bytes to free, and the backup is not called unreadable.
dir=$("$MAKE_BACKUP" --out root --files 60 --damage wal_committed_rows) || exit 9
mkdir tiny
mount -t tmpfs -o size=64k tmpfs tiny 2>/dev/null || { echo SKIP; exit 0; }
trap 'umount tiny' EXIT
TMPDIR=$PWD/tiny "$BKCHECK" verify "$dir" >out 2>err; echo "verify: exit $? $(grep -c unreadable out)"
grep -o 'This is a fault of this machine, not of the backup: free at least [0-9]* bytes in TMPDIR' err
