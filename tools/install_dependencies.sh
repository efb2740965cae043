#!/usr/bin/env bash
# Installs bkcheck's build and test dependencies from Debian packages (bookworm). Idempotent: does
# nothing when every package is already installed. Run as root (or with sudo available).
set -euo pipefail
packages=(build-essential cmake pkg-config clang libclang-rt-14-dev
          libplist-dev libsqlite3-dev sqlite3 libssl-dev libxxhash-dev libboost-program-options-dev catch2
          python3 python3-cryptography man-db mandoc lintian)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
echo "Installing: ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
