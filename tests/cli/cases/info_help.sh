"$BKCHECK" info --help
