"$BKCHECK" list no-such-folder
