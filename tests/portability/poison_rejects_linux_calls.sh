#!/bin/sh
# The portable build's promise: a Linux-only call is a compile error there. Each snippet below uses
# one and must fail with cmake/portable_posix_poison.h force-included, though on Linux it compiles
# without it; the same includes with only POSIX calls must compile with it.
# Usage: poison_rejects_linux_calls.sh CXX SOURCE_DIR
set -u
cxx=$1 poison=$2/cmake/portable_posix_poison.h
scratch=$(mktemp -d) || exit 1
trap 'rm -rf "$scratch"' EXIT
compiles() {  # SNIPPET [--plain: without the poison header]
  printf '#include <cstdio>\n#include <fcntl.h>\n#include <sys/stat.h>\n#include <unistd.h>\n' >"$scratch/t.cpp"
  printf '#ifdef __linux__\n#include <sys/random.h>\n#include <sys/vfs.h>\n#endif\n%s\n' "$1" >>"$scratch/t.cpp"
  if [ "${2:-}" = --plain ]; then "$cxx" -std=c++20 -fsyntax-only "$scratch/t.cpp" 2>/dev/null
  else "$cxx" -std=c++20 -fsyntax-only -include "$poison" "$scratch/t.cpp" 2>/dev/null; fi
}
linux=no
[ "$(uname -s)" = Linux ] && linux=yes
status=0
compiles 'int f(int d) { struct stat s; return renameat(d, "a", d, "b") + fstatat(d, "a", &s, AT_SYMLINK_NOFOLLOW) + fsync(d); }' ||
  { echo "FAIL  POSIX calls do not compile with the poison header"; status=1; }
for use in 'int f(int d) { return renameat2(d, "a", d, "b", 0); }' \
           'int f(int d) { return posix_fadvise(d, 0, 0, 0); }' \
           'int f(int d) { return fdatasync(d); }' \
           'int f() { return O_TMPFILE; }' \
           'int f() { return RENAME_NOREPLACE; }' \
           'int f(int d) { return statfs("/", nullptr) + d; }' \
           'long f(char* b) { return getrandom(b, 1, 0); }'; do
  if [ $linux = yes ] && ! compiles "$use" --plain; then
    echo "FAIL  does not compile even without the poison header: $use"; status=1
  elif compiles "$use"; then echo "FAIL  compiles: $use"; status=1
  else echo "ok    refused: $use"; fi
done
exit $status
