#!/bin/bash
# The Debian packages: cpack builds two, bkcheck (the program, its gzipped man page, completion and
# docs) and libbkcheck-dev (headers, static library, pkg-config file), each with a DEP-5 copyright
# file and changelog.Debian.gz, and each with only its own files. dpkg installs them for real
# (maintainer steps, file list, status) but into a scratch root with its own dpkg database, so a
# test never installs system-wide; every dependency they declare must be a package this system
# has. Then the installed bkcheck runs, a program builds against the packaged library through its
# pkg-config file (every public header compiles on its own and includes no third-party header; a
# program verifying a testdata backup builds from them alone), and dpkg removes the packages
# leaving no file behind. lintian, when installed, must report nothing but the tags README.md
# explains (tests/package/lintian_expected.txt).
# Usage: test_deb.sh <build dir> <c++ compiler> <testdata/backups>
set -euo pipefail
build=$1
cxx=$2
testdata=$3
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

(cd "$scratch" && cpack -G DEB --config "$build/CPackConfig.cmake" >cpack.log 2>&1) || { cat "$scratch/cpack.log"; exit 1; }
runtime_deb=$(ls "$scratch"/bkcheck_*.deb)
dev_deb=$(ls "$scratch"/libbkcheck-dev_*.deb)
for deb in "$runtime_deb" "$dev_deb"; do
  dpkg-deb --field "$deb" Package Version Section Maintainer Depends
  for dependency in $(dpkg-deb --field "$deb" Depends | tr ',' '\n' | sed 's/(.*//; s/|.*//; s/ //g'); do
    dpkg-query --show --showformat='${Status}\n' "$dependency" | grep -q "install ok installed" ||
      { echo "$(basename "$deb") depends on $dependency, which is not installed here"; exit 1; }
  done
done
dpkg-deb --field "$runtime_deb" Depends | grep -q libplist
dpkg-deb --field "$dev_deb" Depends | grep -q libplist-dev

# Each package holds what it is for and nothing of the other's.
runtime_files=$(dpkg-deb --contents "$runtime_deb" | awk '{print $6}' | sed 's|^\./|/|')
dev_files=$(dpkg-deb --contents "$dev_deb" | awk '{print $6}' | sed 's|^\./|/|')
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)  # the library goes in /usr/lib/<multiarch>
has() { grep -qxF "$2" <<<"$1" || { echo "missing from the package: $2"; exit 1; }; }
has "$runtime_files" /usr/bin/bkcheck
has "$runtime_files" /usr/share/man/man1/bkcheck.1.gz
has "$runtime_files" /usr/share/bash-completion/completions/bkcheck
has "$runtime_files" /usr/share/doc/bkcheck/copyright
has "$runtime_files" /usr/share/doc/bkcheck/changelog.Debian.gz
has "$dev_files" /usr/include/bkcheck/backup.h
has "$dev_files" /usr/lib/$multiarch/libbkcheck.a
has "$dev_files" /usr/lib/$multiarch/pkgconfig/bkcheck.pc
has "$dev_files" /usr/share/doc/libbkcheck-dev/copyright
has "$dev_files" /usr/share/doc/libbkcheck-dev/changelog.Debian.gz
! grep -E '/include/|\.a$|\.pc$' <<<"$runtime_files" || { echo "development files in the runtime package"; exit 1; }
! grep -E '/bin/|/man/' <<<"$dev_files" || { echo "program files in the -dev package"; exit 1; }

root=$scratch/root admin=$scratch/dpkg
mkdir -p "$root" "$admin/info" "$admin/updates" "$admin/triggers"
touch "$admin/status" "$admin/available"
# --force-depends: the scratch database knows no other package; the loop above checked them.
dpkg --admindir="$admin" --instdir="$root" --force-depends --force-not-root --log=/dev/null -i "$runtime_deb" "$dev_deb" \
  >"$scratch/dpkg.log" 2>&1 || { cat "$scratch/dpkg.log"; exit 1; }
for package in bkcheck libbkcheck-dev; do
  [[ $(dpkg-query --admindir="$admin" --show --showformat='${Status}' $package) == "install ok installed" ]]
done

version=$("$root/usr/bin/bkcheck" --version)
echo "$version"
[[ $version == "bkcheck "[0-9]* ]]
# The man page as Debian wants it: gzip -9n, so no file name and no time stamp in the header
# (byte 3, the flags, has no FNAME bit; bytes 4-7, the time, are 0), and it reads back.
man_gz=$root/usr/share/man/man1/bkcheck.1.gz
gzip -t "$man_gz"
[[ $(od -An -tu1 -j3 -N5 "$man_gz" | tr -s ' ') == " 0 0 0 0 0" ]] || { echo "bkcheck.1.gz: not made with gzip -n"; exit 1; }
gzip -dc "$man_gz" | grep -q '^\.TH BKCHECK 1'
bash -n "$root/usr/share/bash-completion/completions/bkcheck"
# DEP-5: the format line first, then a Files paragraph with Copyright and License.
for package in bkcheck libbkcheck-dev; do
  copyright=$root/usr/share/doc/$package/copyright
  head -1 "$copyright" | grep -qx 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/'
  grep -q '^Files: \*$' "$copyright" && grep -q '^Copyright: ' "$copyright" && grep -q '^License: ' "$copyright"
  gzip -dc "$root/usr/share/doc/$package/changelog.Debian.gz" | head -1 | grep -q "^bkcheck ($(dpkg-deb --field "$runtime_deb" Version))"
done

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
    auto result = bkcheck::verify_backup(file_system, *backup, bkcheck::VerifyOptions{}, sink);
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
dpkg --admindir="$admin" --instdir="$root" --force-not-root --log=/dev/null -r bkcheck libbkcheck-dev >/dev/null
left=$(find "$root" -type f | wc -l)
[[ $left == 0 ]] || { echo "dpkg -r left $left files:"; find "$root" -type f; exit 1; }
# lintian (when installed): every tag it reports must be one README.md explains.
if command -v lintian >/dev/null; then
  expected=$(dirname "$0")/lintian_expected.txt
  status=0
  lintian --no-cfg --tag-display-limit 0 "$runtime_deb" "$dev_deb" >"$scratch/lintian.out" 2>"$scratch/lintian.log" || status=$?
  # 1: error tags (judged below); anything else: lintian itself failed.
  [[ $status -le 1 ]] || { echo "lintian failed ($status):"; cat "$scratch/lintian.log"; exit 1; }
  tags=$(awk '{print $1, $2, $3}' "$scratch/lintian.out" | sort -u)
  echo "lintian: ${tags:-(nothing)}"
  unexpected=$(comm -23 <(echo "$tags" | grep -v '^$' || true) <(grep -v '^#' "$expected" | sort -u))
  [[ -z $unexpected ]] || { echo "lintian tags not explained in README.md (tests/package/lintian_expected.txt):"; echo "$unexpected"; exit 1; }
fi
echo "packages ok"
