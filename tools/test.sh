#!/usr/bin/env bash
# The README's second command (and CI's): install dependencies, build from scratch with warnings as
# errors, run every test (unit, CLI, real fixtures when ../shared exists, fuzz corpus replay), every
# test again in the portable POSIX build with ASan+UBSan, then the libFuzzer harnesses for a bounded
# time each (as many at once as cores), then the Windows build's tests under Wine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install_dependencies.sh
# Debug information is left out of the tests' builds (line tables only where a sanitizer or
# libFuzzer prints a stack): -g made each compile 35 % slower and the static library 156 MB, which
# the package test then strips and compresses; the whole run must stay under 40 minutes on 2 cores.
# The test cases themselves are compiled at -O0 (the library they test at -O2, as shipped): 2.0 -> 1.3
# min of compiling here, 4.8 -> 3.0 in the sanitizer build, where -O2 made each file 4x slower; the
# tests' run time did not change (their time is spent in the library).
rm -rf build-test
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG" \
  -DBKCHECK_TEST_CASES_OPTIMIZATION=-O0 -DBKCHECK_WERROR=ON >/dev/null
cmake --build build-test -j"$(nproc)"
ctest --test-dir build-test --output-on-failure -j"$(nproc)"
# The same tests again with ASan+UBSan over everything (library, tools, tests, fuzz replay), built as
# the portable POSIX build, CI's stand-in for macOS and the BSDs: only POSIX.1-2008 calls, any
# Linux-only one a compile error (cmake/portable_posix_poison.h). So the fallback paths those systems
# take run here under the sanitizers, and the Linux paths ran in the first build: any memory error,
# leak or undefined behaviour aborts its test. Left out: package_deb (it tests packaging, not memory,
# and would link a sanitized library without the sanitizer flags), the two compile checks of the
# portable build and the grep for path conversions, which the first build ran.
# The library at -O1 (what ASan's authors advise; -O2 with ASan+UBSan compiled 1.6x slower, 17 s for
# one file): this build was 13 of CI's 40 minutes; now ~8.
rm -rf build-test-asan
cmake -S . -B build-test-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
  -DBKCHECK_TEST_CASES_OPTIMIZATION=-O0 -DBKCHECK_WERROR=ON -DBKCHECK_SANITIZE=ON -DBKCHECK_PORTABLE_POSIX=ON >/dev/null
cmake --build build-test-asan -j"$(nproc)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  ctest --test-dir build-test-asan --output-on-failure -j"$(nproc)" \
  -E '^(package_deb|macos_branches_compile|portable_poison_refuses|paths_printed_through_path_text)$'
# libFuzzer with ASan/UBSan over every harness, bounded (BKCHECK_FUZZ_SECONDS per target).
bash fuzz/run_fuzzers.sh "${BKCHECK_FUZZ_SECONDS:-20}"
# Windows: cross-builds bkcheck.exe and its tests with MinGW-w64 (dependencies from Debian's source
# packages) and runs them under Wine: every unit test, the CLI cases (those failing for a reason of
# the platform are listed in tests/cli/wine_known_failures.txt), verify --json compared with this
# build's, a repair -> undo round trip (tools/test_windows.sh; README "Windows").
bash tools/test_windows.sh
