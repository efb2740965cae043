mkdir empty && "$BKCHECK" info empty
