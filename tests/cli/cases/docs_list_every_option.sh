# The bash completion and the man page name every option each verb accepts (from its --help,
# positional arguments left out), each as a whole word (--seal is not found in --seal-file), and
# name none it does not take, so they cannot drift from the code unnoticed.
source_dir=$(cd "$TESTDATA/.." && pwd)
completion=$source_dir/completion/bkcheck.bash man=$source_dir/man/bkcheck.1
password_options="--password-file --password --key-file"
for verb in list info doctor verify unlock ls usage extract export prune repair undo purge; do
  accepted=$("$BKCHECK" $verb --help | grep -v '(positional)' | grep -oE '^  (-[a-z] \[ )?--[a-z-]+' |
             grep -oE -- '--[a-z-]+' | grep -vx -- '--help')
  completed=$(grep -E "^ +$verb\)" "$completion" | sed -e 's/^[^"]*"//' -e 's/".*//' -e 's/\$password/'"$password_options"'/')
  # The verb's paragraph of the man page: from its .BI line to the next verb's (or section's).
  manual=$(awk -v verb="$verb" '/^\.BI "/ { inside = index($0, "\"" verb " ") == 5 } /^\.S[HS] / { inside = 0 } inside' "$man")
  for option in $accepted; do
    [[ " $completed " == *" $option "* ]] || echo "completion: $verb lacks $option"
    # "\-\-seal" and not the start of "\-\-seal\-file": the next character is no letter or "\-".
    pattern="${option//-/\\\\-}"'([^a-z\\]|\\[^-]|$)'
    if [[ " $password_options " == *" $option "* ]]; then
      grep -qE -- "$pattern" "$man" || echo "man page: no $option"
    else
      grep -qE -- "$pattern" <<<"$manual" || echo "man page: $verb lacks $option"
    fi
  done
  # And the other way: nothing documented that the verb does not take (a renamed or removed option).
  documented=$( (echo "$completed"; grep -E '^\.B[IR]? ' <<<"$manual" | grep -oE '\\-\\-[a-z\\-]*[a-z]' | sed 's/\\//g') |
               grep -oE -- '--[a-z-]+' | sort -u)
  for option in $documented; do
    grep -qx -- "$option" <<<"$accepted"$'\n'"${password_options// /$'\n'}" || echo "docs: $verb names $option, which it does not take"
  done
done
echo checked
