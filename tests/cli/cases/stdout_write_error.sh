# Output that cannot be written is a failure, not a silent success: stdout on a full disk (/dev/full)
# or a pipe whose reader has gone (EPIPE; bkcheck ignores SIGPIPE so it can say so) gives one line on
# stderr and exit 5, for a verb with little output and one that streams a lot.
# macOS has no /dev/full.
[ -c /dev/full ] || { echo SKIP; exit 0; }
sample=$(ls -d "$TESTDATA"/backups/plain-ios17/*/)
"$BKCHECK" verify "$sample" >/dev/full 2>err
echo "verify > /dev/full: exit $?: $(cat err)"
"$BKCHECK" ls --json "$sample" >/dev/full 2>err
echo "ls --json > /dev/full: exit $?: $(cat err)"
# The reader exits at once; bkcheck starts writing a moment later.
{ sleep 0.3; "$BKCHECK" ls "$sample" 2>err; echo $? >code; } | true
echo "ls | (closed): exit $(cat code): $(cat err)"
"$BKCHECK" --version >/dev/full 2>err
echo "--version > /dev/full: exit $?: $(cat err)"
# Quiet writes nothing to stdout, so nothing can fail.
"$BKCHECK" -q verify "$sample" >/dev/full 2>err
echo "-q verify > /dev/full: exit $?: $(cat err)"
