# A user who may read the backups but not change their folder: the preview says it cannot apply the
# plan and which folder (not "Run again with --apply"), and --apply is refused before anything is
# written, saying nothing changed and who can apply it (before: "cannot create folder: Permission
# denied" and nothing else). As root the case drops to the user nobody; as another user the folder
# of backups is made read-only for its owner.
. "$CLI_TOOLS"
dir=$("$MAKE_BACKUP" --out root --files 10 --damage orphan_blob) || exit 9
chmod -R a+rX . && chmod 755 . && chmod a-w root
before=$(tree_state root)
for verb in "prune root" "repair --force-full $dir"; do
  as_user "$BKCHECK" $verb >out.txt; echo "${verb%% *} exit $?"
  grep -c 'Run again with --apply' out.txt
  grep -o 'This user cannot apply it (--apply would be refused, exit 5): it may not change .*' out.txt |
    sed "s#$(pwd)#SCRATCH#"
  as_user "$BKCHECK" $verb --apply >out.txt 2>err.txt; echo "${verb%% *} --apply exit $?"
  sed "s#$(pwd)#SCRATCH#g" err.txt
done
[ "$(tree_state root)" = "$before" ] && echo "nothing changed"
as_user "$BKCHECK" prune --json root | python3 -c '
import json, sys
plan = json.load(sys.stdin)["plans"][0]
print(len(plan["unwritable"]) >= 1, plan["unwritable"][0]["folder"].endswith("/root"))'
# Whoever may write it gets the invitation as before.
chmod u+w root && "$BKCHECK" prune root | grep -c 'Run again with --apply'
