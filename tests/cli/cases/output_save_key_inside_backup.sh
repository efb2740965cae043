# A key saved inside a backup folder sits beside the data it unlocks: refused (exit 2) before the
# password is used, for the backup being unlocked, a folder in it, any other backup, and a path that
# reaches one through a symlink; nothing is written into either backup. Beside them is fine.
. "$CLI_TOOLS"
mkdir root && cp -r "$TESTDATA"/backups/encrypted-ios17/* "$TESTDATA"/backups/plain-ios17/* root/
enc=root/00008030-A106081278B7AEE7 plain=root/00008030-37AD2D0D6C0157A9
blob_folder=$(cd "$enc" && ls -d */ | head -n 1)
before=$(tree_state root)
ln -s "$enc/$blob_folder" shortcut
for file in "$enc/key" "$enc/$blob_folder/key" "$plain/key" shortcut/../key; do
  BKCHECK_PASSWORD=bkcheck-demo "$BKCHECK" unlock --save-key "$file" "$enc" 2>&1; echo "exit $?"
done
# Not with --overwrite either; and no password is read nor derived: the path is refused first.
"$BKCHECK" unlock --password-file no-such-file --save-key "$enc/key" --overwrite "$enc" 2>&1; echo "exit $?"
[ "$(tree_state root)" = "$before" ] && echo "backups unchanged"
BKCHECK_PASSWORD=bkcheck-demo "$BKCHECK" unlock --save-key root/key "$enc"; echo "beside: exit $?"
