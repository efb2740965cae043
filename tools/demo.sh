#!/usr/bin/env bash
# The README's first command: install dependencies, build bkcheck, verify the sample backup.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install_dependencies.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBKCHECK_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" --target bkcheck >/dev/null
sample=$(ls -d testdata/backups/plain-ios17/*/ | head -n 1)
echo "\$ build/tools/bkcheck verify --read-data $sample"
exec build/tools/bkcheck verify --read-data "$sample"
