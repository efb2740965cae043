"$BKCHECK" info does-not-exist
