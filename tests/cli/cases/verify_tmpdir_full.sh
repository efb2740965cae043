# TMPDIR on a full filesystem (a 64 KiB tmpfs; needs root and mount, else SKIP): a Manifest.db with
# a -wal is read in memory, so verify succeeds and writes nothing there.
dir=$("$MAKE_BACKUP" --out root --files 60 --damage wal_committed_rows) || exit 9
mkdir tiny
mount -t tmpfs -o size=64k tmpfs tiny 2>/dev/null || { echo SKIP; exit 0; }
trap 'umount tiny' EXIT
TMPDIR=$PWD/tiny "$BKCHECK" verify "$dir" >out 2>err; echo "verify: exit $? $(grep -c unreadable out)"
echo "written to TMPDIR: $(ls -A tiny | wc -l)"
