"$BKCHECK" --version
