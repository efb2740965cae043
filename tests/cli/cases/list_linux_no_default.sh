"$BKCHECK" list --platform linux
