"$BKCHECK" frobnicate
