"$BKCHECK" verify nowhere
