"$BKCHECK" --help
