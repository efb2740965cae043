# A ROOT that does not exist is exit 5 for every verb; one that holds no backup is said so, exit 3;
# a --home that does not exist is a typing error (exit 5), never "No backups found".
mkdir empty
for verb in list doctor prune; do
  "$BKCHECK" $verb empty >out 2>err; echo "$verb empty: exit $? $(grep -c 'holds no backup' err) $(grep -c 'No problem' out)"
done
for verb in list info doctor verify unlock prune repair undo purge ls usage; do
  "$BKCHECK" $verb no-such-folder >/dev/null 2>&1; echo "$verb missing: exit $?"
done
"$BKCHECK" extract no-such-folder out >/dev/null 2>&1; echo "extract missing: exit $?"
"$BKCHECK" export no-such-folder out >/dev/null 2>&1; echo "export missing: exit $?"
"$BKCHECK" list --platform macos --home /nonexistent; echo "list --home missing: exit $?"
