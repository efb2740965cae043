#!/bin/bash
# The man page has no error, warning or style complaint from either formatter: mandoc's lint (all
# levels, style included: e.g. input lines over 80 bytes) and groff's warnings as man-db shows them
# (the check lintian runs on an installed page).
# Usage: check_man_page.sh <man page source>
set -euo pipefail
page=$1
lint=$(mandoc -Tlint -W style "$page" 2>&1 || true)
[[ -z $lint ]] || { echo "mandoc -Tlint:"; echo "$lint"; exit 1; }
warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$page" 2>&1 >/dev/null)
[[ -z $warnings ]] || { echo "man --warnings:"; echo "$warnings"; exit 1; }
echo "man page clean: mandoc -Tlint -W style and man --warnings"
