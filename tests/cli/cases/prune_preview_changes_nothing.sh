# prune without --apply lists the orphan and changes nothing; with --apply it goes to quarantine.
cp -r "$TESTDATA"/backups/damaged-ios17 root
before=$(cd root && find . | sort)
"$BKCHECK" prune root; echo "exit $?"
[ "$before" = "$(cd root && find . | sort)" ] && echo "unchanged"
"$BKCHECK" prune --apply --json root | grep -c '"remove_orphan_blobs"'
"$BKCHECK" purge root; echo "exit $?"  # a preview with something to do exits 1, as prune's
