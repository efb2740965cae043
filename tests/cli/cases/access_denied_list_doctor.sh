# A backup folder, or a plist of one, this user may not read is listed as "access denied" and list
# exits 5 (before: the folder was skipped: "No backups found", exit 0; doctor "no problem"); doctor
# says access.denied (exit 5), verify and info too; a root it may not list is exit 5 for list and
# doctor, naming it. As root the case drops to the user nobody.
. "$CLI_TOOLS"
dir=$("$MAKE_BACKUP" --out root --files 3) || exit 9
chmod -R a+rX . && chmod 755 .
chmod 000 "$dir"
as_user "$BKCHECK" list root; echo "list exit $?"
as_user "$BKCHECK" list --json root | grep '"state"'
as_user "$BKCHECK" doctor root | grep -E '^Looked|problem \[access.denied\]'
echo "doctor exit ${PIPESTATUS[0]}"
chmod 755 "$dir" && chmod 000 "$dir/Manifest.plist"
as_user "$BKCHECK" list root | grep -E 'access denied'; echo "list exit ${PIPESTATUS[0]}"
as_user "$BKCHECK" verify "$dir" | grep -E '^warning access.denied|^Verdict: [a-z]*'; echo "verify exit ${PIPESTATUS[0]}"
as_user "$BKCHECK" info "$dir" >/dev/null 2>info.err; echo "info exit $?"; cat info.err
as_user "$BKCHECK" prune --unrecoverable root | grep -c remove_backup
as_user "$BKCHECK" doctor root | grep -o 'problem \[access.denied\]'; echo "doctor exit ${PIPESTATUS[0]}"
chmod 644 "$dir/Manifest.plist"
for mode in 000 311; do
  chmod "$mode" root
  as_user "$BKCHECK" list root 2>&1; echo "list exit $?"
  as_user "$BKCHECK" doctor root | grep -o 'problem \[access.denied\] .*'; echo "doctor exit ${PIPESTATUS[0]}"
done
chmod 755 root
# A default place this user may not list (macOS without Full Disk Access): never "No backups found",
# and the setting that grants access is named.
mkdir -p "home/Library/Application Support/MobileSync/Backup" && chmod -R a+rX home
chmod 000 "home/Library/Application Support/MobileSync/Backup"
as_user "$BKCHECK" list --platform macos --home "$PWD/home"; echo "list exit $?"
