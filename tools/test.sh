#!/usr/bin/env bash
# The README's second command (and CI's): install dependencies, build from scratch with warnings as
# errors, run every test (unit, CLI, real fixtures when ../shared exists, fuzz corpus replay), then
# the libFuzzer harnesses for a bounded time each.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install_dependencies.sh
rm -rf build-test
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBKCHECK_WERROR=ON >/dev/null
cmake --build build-test -j"$(nproc)"
ctest --test-dir build-test --output-on-failure -j"$(nproc)"
# libFuzzer with ASan/UBSan over every harness, bounded (BKCHECK_FUZZ_SECONDS per target).
bash fuzz/run_fuzzers.sh "${BKCHECK_FUZZ_SECONDS:-20}"
