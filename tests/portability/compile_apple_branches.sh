#!/bin/sh
# Compiles the OS layer's macOS branches (BKCHECK_APPLE_CALLS: renameatx_np, F_FULLFSYNC,
# F_RDADVISE, statfs) on Linux, against fake_darwin.h's declarations of those calls, so a typo or a
# missing include there fails CI rather than the first build on a Mac. Syntax and types only: the
# fallback logic itself runs in the unit tests with faked calls (test_exclusive_rename.cpp,
# test_durable_sync.cpp). Usage: compile_apple_branches.sh CXX SOURCE_DIR
set -eu
cxx=$1 source=$2
here=$(cd "$(dirname "$0")" && pwd)
status=0
for file in exclusive_rename.cpp durable_sync.cpp read_ahead.cpp real_file_system.cpp \
            posix_output_file.cpp posix_output_tree.cpp posix_writable_file_system.cpp linux_open_files.cpp; do
  if "$cxx" -std=c++20 -fsyntax-only -Wall -Wextra -Werror -U__linux__ -D__APPLE__ \
       -include "$here/fake_darwin.h" -I"$source/src/os" -I"$source/src/base" -I"$source/include" \
       "$source/src/os/$file"; then
    echo "ok    $file"
  else
    echo "FAIL  $file"; status=1
  fi
done
exit $status
