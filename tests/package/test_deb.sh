#!/bin/bash
# The Debian package: cpack builds it and dpkg installs it for real (maintainer steps, file list,
# status) but into a scratch root with its own dpkg database, so a test never installs system-wide;
# every dependency it declares must be a package this system has. Then the installed bkcheck runs,
# the man page and completion are there, a program builds against the packaged library through its
# pkg-config file, and dpkg removes the package leaving no file behind.
# Usage: test_deb.sh <build dir> <c++ compiler>
set -euo pipefail
build=$1
cxx=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

(cd "$scratch" && cpack -G DEB --config "$build/CPackConfig.cmake" >cpack.log 2>&1) || { cat "$scratch/cpack.log"; exit 1; }
deb=$(ls "$scratch"/bkcheck_*.deb)
dpkg-deb --field "$deb" Package Depends
dpkg-deb --field "$deb" Depends | grep -q libplist3
for dependency in $(dpkg-deb --field "$deb" Depends | tr ',' '\n' | sed 's/(.*//; s/ //g'); do
  dpkg-query --show --showformat='${Status}\n' "$dependency" | grep -q "install ok installed" ||
    { echo "the package depends on $dependency, which is not installed here"; exit 1; }
done
root=$scratch/root admin=$scratch/dpkg
mkdir -p "$root" "$admin/info" "$admin/updates" "$admin/triggers"
touch "$admin/status" "$admin/available"
# --force-depends: the scratch database knows no other package; the loop above checked them.
dpkg --admindir="$admin" --instdir="$root" --force-depends --force-not-root --log=/dev/null -i "$deb" >/dev/null
[[ $(dpkg-query --admindir="$admin" --show --showformat='${Status}' bkcheck) == "install ok installed" ]]

version=$("$root/usr/bin/bkcheck" --version)
echo "$version"
[[ $version == "bkcheck "[0-9]* ]]
test -s "$root/usr/share/man/man1/bkcheck.1"
test -s "$root/usr/share/bash-completion/completions/bkcheck"
bash -n "$root/usr/share/bash-completion/completions/bkcheck"

pc=$(find "$root" -name bkcheck.pc)
export PKG_CONFIG_PATH=$(dirname "$pc")
flags=$(pkg-config --cflags --libs bkcheck)
echo "pkg-config: $flags"
include_dir=$(pkg-config --cflags-only-I bkcheck | sed 's/^ *-I//; s/ *$//')
[[ $(realpath "$include_dir") == "$(realpath "$root/usr/include")" && $flags == *-lbkcheck* ]]
test -f "$root/usr/include/bkcheck/doctor.h"

cat >"$scratch/use.cpp" <<'CPP'
#include <bkcheck/error.h>
#include <cstdio>
int main() { std::puts(bkcheck::error_code_name(bkcheck::ErrorCode::NotFound)); }
CPP
"$cxx" -std=c++20 "$scratch/use.cpp" -o "$scratch/use" $(pkg-config --cflags --libs --static bkcheck)
[[ $("$scratch/use") == not_found ]]
dpkg --admindir="$admin" --instdir="$root" --force-not-root --log=/dev/null -r bkcheck >/dev/null
left=$(find "$root" -type f | wc -l)
[[ $left == 0 ]] || { echo "dpkg -r left $left files:"; find "$root" -type f; exit 1; }
echo "package ok"
