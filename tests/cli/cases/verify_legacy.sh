mkdir old && printf x > old/Manifest.plist && printf x > old/Manifest.mbdx
"$BKCHECK" verify old
