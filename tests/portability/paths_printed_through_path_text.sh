#!/bin/sh
# Every path the program prints, writes into JSON or a journal, or hands to SQLite goes through
# path_text (include/bkcheck/path_text.h): on Windows path.string() double-encodes every character
# past ASCII of a path built from UTF-8 text. So the library and the CLI call none of
# std::filesystem::path's string conversions but there (PlistNode's is string_value()). And paths
# the OS makes (the current folder, resolved links) come through src/os/resolved_path.h, which turns
# Windows' UTF-16 into the same UTF-8 form, so no path mixes the two.
# Usage: paths_printed_through_path_text.sh SOURCE_DIR
set -u
cd "$1" || exit 1
found=$(grep -rnE '(\.|->)(generic_)?(u8)?string\(\)' src include tools/bkcheck |
  grep -v '^src/base/path_text.cpp:')
if [ -n "$found" ]; then
  echo "path conversions that bypass path_text (use path_text or generic_path_text):"
  echo "$found"
  exit 1
fi
found=$(grep -rnE '(fs|std::filesystem)::(absolute|weakly_canonical|canonical|current_path|temp_directory_path|read_symlink|relative|proximate)\(|directory_iterator' \
  src include tools/bkcheck | grep -v '^src/os/resolved_path.cpp:')
if [ -n "$found" ]; then
  echo "paths from the OS that bypass src/os/resolved_path.h:"
  echo "$found"
  exit 1
fi
echo "ok: no path is printed through path.string() in src/, include/ or tools/bkcheck/, and every path from the OS comes through resolved_path.h"
