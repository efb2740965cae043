# The bash completion and the man page name every option each verb accepts (from its --help,
# positional arguments left out), so they cannot fall behind the code unnoticed.
source_dir=$(cd "$TESTDATA/.." && pwd)
completion=$source_dir/completion/bkcheck.bash man=$source_dir/man/bkcheck.1
password_options="--password-file --password --key-file"
for verb in list info doctor verify unlock ls usage extract export prune repair undo purge; do
  accepted=$("$BKCHECK" $verb --help | grep -v '(positional)' | grep -oE '^  (-[a-z] \[ )?--[a-z-]+' |
             grep -oE -- '--[a-z-]+' | grep -vx -- '--help')
  completed=$(grep -E "^ +$verb\)" "$completion" | sed -e 's/^[^"]*"//' -e 's/".*//' -e 's/\$password/'"$password_options"'/')
  # The verb's paragraph of the man page: from its .BI line to the next verb's.
  manual=$(awk -v verb="$verb" '/^\.BI "/ { inside = index($0, "\"" verb " ") == 5 } inside' "$man")
  for option in $accepted; do
    [[ " $completed " == *" $option "* ]] || echo "completion: $verb lacks $option"
    escaped=${option//-/\\\\-}
    if [[ " $password_options " == *" $option "* ]]; then
      grep -q -- "$escaped" "$man" || echo "man page: no $option"
    else
      grep -q -- "$escaped" <<<"$manual" || echo "man page: $verb lacks $option"
    fi
  done
done
echo checked
