#!/bin/bash
# The Debian package: cpack builds it, dpkg -x extracts it into a scratch root (no dpkg -i: tests do
# not install system-wide), then the packaged bkcheck runs, the man page and completion are there,
# and a program builds against the packaged library through its pkg-config file.
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
root=$scratch/root
dpkg -x "$deb" "$root"

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
echo "package ok"
