#!/usr/bin/env bash
# Cross-builds a native, static 64-bit Windows bkcheck.exe on Debian (bookworm):
#
#   bash tools/build_windows.sh            # leaves build-windows/bkcheck.exe
#
# On a fresh machine it installs MinGW-w64, Wine (to run the tests: tools/test_windows.sh) and the
# build tools, builds the dependencies from Debian's source packages when the prefix has none
# (tools/build_mingw_deps.sh; prefix build-windows/deps or $BKCHECK_MINGW_PREFIX), then bkcheck.
# Options through the environment:
#   BKCHECK_WINDOWS_TARGETS  what to build (default: bkcheck; the tests add bkcheck_tests make_backup)
#   BKCHECK_WINDOWS_OPT      the optimisation flag (default -O2; CI's test build uses -O1)
#   BKCHECK_JOBS             parallel jobs (default: nproc)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
jobs="${BKCHECK_JOBS:-$(nproc)}"
targets="${BKCHECK_WINDOWS_TARGETS:-bkcheck}"
opt="${BKCHECK_WINDOWS_OPT:--O2}"
build=build-windows

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
packages=(g++-mingw-w64-x86-64-posix wine wine64 cmake make pkg-config zip)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

BKCHECK_JOBS="$jobs" bash tools/build_mingw_deps.sh

# Release without debug info: the exe ships, and -g would triple the link time and the size. The
# test cases keep $opt here (unlike tools/test.sh's -O0): at -O0 MinGW's linker took 67 s instead of
# 2 s over their objects, and the unit tests under Wine 212 s instead of 177.
cmake -S . -B "$build" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-mingw-w64-x86_64.cmake" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="$opt -DNDEBUG" -DBKCHECK_TEST_CASES_OPTIMIZATION= \
  -DBKCHECK_WERROR=ON \
  -DCMAKE_RUNTIME_OUTPUT_DIRECTORY="$root/$build" >/dev/null
# shellcheck disable=SC2086
cmake --build "$build" -j"$jobs" --target $targets
echo "$root/$build/bkcheck.exe"
