"$BKCHECK" info
