# Links inside a backup are never read through, moved through or written through: a linked Info.plist
# (to a file outside) and Manifest.db (to a sibling backup's) read as unreadable, repair moves only
# the links themselves, and extract/export read no blob through a linked blob folder.
. "$CLI_TOOLS"
a=$("$MAKE_BACKUP" --out root --files 10 --seed 1) || exit 9
b=$("$MAKE_BACKUP" --out root --files 10 --seed 1 --folder sibling) || exit 9
mkdir outside && printf '<plist><dict/></plist>\n' >outside/secret.plist
sums() { file_sums "$1"; }
before_outside=$(sums outside) before_sibling=$(sums "$b")
rm "$a/Info.plist" "$a/Manifest.db" && ln -s "$PWD/outside/secret.plist" "$a/Info.plist" && ln -s ../sibling/Manifest.db "$a/Manifest.db"
"$BKCHECK" verify "$a" | grep -o 'is a symbolic link, not a file: bkcheck does not read through links inside a backup' | sort | uniq -c | sed 's/^ *//'
"$BKCHECK" repair --apply "$a" >/dev/null; echo "repair exit $?"
[ "$(sums outside)" = "$before_outside" ] && echo "outside unchanged"
[ "$(sums "$b")" = "$before_sibling" ] && echo "sibling unchanged"
"$BKCHECK" undo root | grep -o 'Undid run'
[ -L "$a/Info.plist" ] && [ -L "$a/Manifest.db" ] && echo "links back in place"
# Blob folders linked to the sibling's: extract and export read nothing through them.
c=$("$MAKE_BACKUP" --out root2 --files 10 --seed 1) || exit 9
cp -RPp "$b" root2/sibling
for folder in 3d 43; do rm -r "${c:?}/$folder" && ln -s "../sibling/$folder" "$c/$folder"; done
"$BKCHECK" extract "$c" out | grep -c '^  blob.link'
"$BKCHECK" export "$c" exported | grep -c '^  blob.link'
[ "$(sums "$b")" = "$before_sibling" ] && echo "sibling unchanged"
# A Snapshot that is a link to a folder outside that keeps changing: not taken for a running backup
# (what it points to is not looked at), and prune moves the link itself, not what it points to.
d=$("$MAKE_BACKUP" --out root3 --files 5 --seed 3) || exit 9
mkdir busy && echo x >busy/keep
ln -s "$PWD/busy" "$d/Snapshot"
"$BKCHECK" prune --apply root3 >/dev/null; echo "prune exit $?"
[ -L root3/.bkcheck-quarantine/*/removed/*/Snapshot ] && [ "$(cat busy/keep)" = x ] && echo "the link moved, busy/ untouched"
