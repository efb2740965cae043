# Ctrl-C during verify --read-data --seal stops within a blob (here a sparse 64 GiB one that takes
# minutes to read), exits 130, says so, and writes no seal.
. "$CLI_TOOLS"
"$MAKE_BACKUP" --out b --files 5 >/dev/null
dir=$(ls -d b/*/); dir=${dir%/}
blob=$(ls "$dir"/*/* | head -n 1)
set_size "$blob" 68719476736
"$BKCHECK" verify --read-data --seal --jobs 1 "$dir" >/dev/null 2>err &
pid=$!
sleep 0.5
kill -INT "$pid"
start=$SECONDS
wait "$pid"
echo "exit $?"
[ $((SECONDS - start)) -le 5 ] && echo "stopped quickly"
cat err
ls b
