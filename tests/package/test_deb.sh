#!/bin/bash
# The Debian package: cpack builds it and dpkg installs it for real (maintainer steps, file list,
# status) but into a scratch root with its own dpkg database, so a test never installs system-wide;
# every dependency it declares must be a package this system has. Then the installed bkcheck runs,
# the man page and completion are there, a program builds against the packaged library through its
# pkg-config file (every public header compiles on its own and includes no third-party header; a
# program verifying a testdata backup builds from them alone), and dpkg removes the package leaving
# no file behind.
# Usage: test_deb.sh <build dir> <c++ compiler> <testdata/backups>
set -euo pipefail
build=$1
cxx=$2
testdata=$3
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

# The public API as a program embedding bkcheck sees it: every installed header (each on its own
# first, so none leans on another's includes), then one program using them all that verifies a
# backup and prints the report, built from the installed headers and library only.
cxxflags=(-std=c++20 -Wall -Wextra -Werror)
for header in "$root"/usr/include/bkcheck/*.h; do
  name=bkcheck/$(basename "$header")
  echo "#include <$name>" | "$cxx" "${cxxflags[@]}" $(pkg-config --cflags bkcheck) -x c++ -fsyntax-only - ||
    { echo "the installed $name does not compile on its own"; exit 1; }
done
# No third-party header reaches a program through the public API (they are Requires.private).
{ for header in "$root"/usr/include/bkcheck/*.h; do echo "#include <bkcheck/$(basename "$header")>"; done; } >"$scratch/all.h"
third_party=$("$cxx" "${cxxflags[@]}" $(pkg-config --cflags bkcheck) -x c++ -fsyntax-only -H "$scratch/all.h" 2>&1 |
              grep -E '^\.+ ' | grep -E '/(plist|sqlite3|openssl|xxhash|boost)[/.]' || true)
[[ -z $third_party ]] || { echo "public headers include third-party headers:"; echo "$third_party"; exit 1; }

cat >"$scratch/use.cpp" <<'CPP'
#include "all.h"
#include <cstdio>
#include <iostream>
// Verifies the backup in argv[1] as `bkcheck verify` would, printing the same report.
int main(int argc, char** argv)
{
    if (argc != 2) return 2;
    const bkcheck::FileSystem& file_system = bkcheck::real_file_system();
    auto backup = bkcheck::open_backup(file_system, argv[1]);
    if (!backup) { std::puts(bkcheck::error_code_name(backup.error().code)); return 5; }
    bkcheck::FindingSink sink;
    auto result = bkcheck::verify_backup(file_system, *backup, bkcheck::VerifyOptions{}, sink, bkcheck::null_progress());
    if (!result) return 5;
    std::cout << bkcheck::render_verify_text(*backup, std::nullopt, *result, sink, false);
    return result->verdict == bkcheck::Verdict::Ok ? 0 : 1;
}
CPP
"$cxx" "${cxxflags[@]}" -I"$scratch" "$scratch/use.cpp" -o "$scratch/use" $(pkg-config --cflags --libs --static bkcheck)
[[ $("$scratch/use" "$scratch/nowhere") == not_found ]]
report=$("$scratch/use" "$testdata/plain-ios17/00008030-37AD2D0D6C0157A9")
echo "$report" | tail -1
[[ $report == *"Verdict: ok."* && $report == *"0 errors, 0 warnings."* ]]
dpkg --admindir="$admin" --instdir="$root" --force-not-root --log=/dev/null -r bkcheck >/dev/null
left=$(find "$root" -type f | wc -l)
[[ $left == 0 ]] || { echo "dpkg -r left $left files:"; find "$root" -type f; exit 1; }
echo "package ok"
