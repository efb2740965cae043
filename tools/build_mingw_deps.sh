#!/usr/bin/env bash
# Cross-builds bkcheck's dependencies for 64-bit Windows (x86_64-w64-mingw32) from Debian's own
# source packages (`apt-get source`; no other network): OpenSSL's libcrypto, SQLite, libplist,
# xxHash, Boost.Program_options and the Catch2 v2 header, all static, into one prefix that
# cmake/toolchain-mingw-w64-x86_64.cmake reads.
#
#   bash tools/build_mingw_deps.sh            # prefix build-windows/deps, or $BKCHECK_MINGW_PREFIX
#
# Idempotent: each library is built once (a stamp in <prefix>/stamps); delete the prefix to rebuild.
# Installs what it needs (MinGW-w64, autotools for libplist, a deb-src entry) when run as root or
# with sudo. BKCHECK_JOBS sets the parallel jobs (default: nproc).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
prefix="${BKCHECK_MINGW_PREFIX:-$root/build-windows/deps}"
jobs="${BKCHECK_JOBS:-$(nproc)}"
host=x86_64-w64-mingw32
# The -posix compilers: their libstdc++ has std::thread and std::mutex (winpthreads).
cc="$host-gcc-posix"
cxx="$host-g++-posix"

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

step() { echo "== $* ($(date -u +%H:%M:%S))"; }

install_tools() {
  local packages=(g++-mingw-w64-x86-64-posix dpkg-dev make perl tcl xz-utils bzip2 autoconf automake
                  libtool pkg-config cmake)
  local missing=() package
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  # apt-get source needs a deb-src entry; Debian's images have only the binary ones.
  local sources=/etc/apt/sources.list.d/bkcheck-deb-src.sources
  local need_update=0
  if ! grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    step "adding $sources"
    "${sudo_cmd[@]}" tee "$sources" >/dev/null <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    need_update=1
  fi
  if [ ${#missing[@]} -gt 0 ] || [ $need_update -eq 1 ]; then
    step "apt-get update"
    "${sudo_cmd[@]}" apt-get update -qq
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    step "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
}

# Downloads a source package once (into <prefix>/sources) and unpacks it with Debian's patches
# into $work; prints the unpacked directory.
fetch_source() {
  local package="$1"
  mkdir -p "$prefix/sources"
  if ! ls "$prefix/sources/${package}_"*.dsc >/dev/null 2>&1; then
    (cd "$prefix/sources" && apt-get source --download-only -qq "$package" >/dev/null 2>&1) ||
      (cd "$prefix/sources" && apt-get source --download-only "$package")
  fi
  local dsc
  dsc="$(ls "$prefix/sources/${package}_"*.dsc | tail -1)"
  rm -rf "${work:?}/$package"
  dpkg-source --no-check -x "$dsc" "$work/$package" >/dev/null
  echo "$work/$package"
}

done_stamp() { [ -e "$prefix/stamps/$1" ]; }
mark_done() { mkdir -p "$prefix/stamps" && touch "$prefix/stamps/$1"; }

write_pc() {  # name, version, libs, cflags
  mkdir -p "$prefix/lib/pkgconfig"
  cat >"$prefix/lib/pkgconfig/$1.pc" <<EOF
prefix=$prefix
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: $1
Description: $1 (cross-built for $host by tools/build_mingw_deps.sh)
Version: $2
Libs: -L\${libdir} $3
Cflags: -I\${includedir} $4
EOF
}

build_openssl() {
  done_stamp openssl && return 0
  step "OpenSSL (libcrypto only)"
  local src
  src="$(fetch_source openssl)"
  # Only libcrypto (the make target; OpenSSL 3.0 has no no-apps/no-docs options), and only what
  # bkcheck can need: no tests, engines, modules, legacy provider or protocol-only pieces. -O2 instead of OpenSSL's -O3: the hot paths (AES, SHA) are
  # assembly either way. The default 3.x provider stays built in (static, no module loading).
  (cd "$src" && ./Configure mingw64 --prefix="$prefix" --libdir=lib --cross-compile-prefix="$host-" \
      CC=gcc-posix no-shared no-tests no-engine no-dso no-module no-legacy \
      no-comp no-ssl3 no-dtls no-srp no-srtp no-ct no-ocsp no-ts no-cms no-ui-console no-async \
      no-idea no-seed no-rc2 no-rc4 no-rc5 no-md4 no-mdc2 no-whirlpool no-bf no-cast no-camellia \
      no-aria no-sm2 no-sm3 no-sm4 no-siphash no-scrypt -O2 >/dev/null &&
    make -s -j"$jobs" build_generated >/dev/null && make -s -j"$jobs" libcrypto.a >/dev/null)
  mkdir -p "$prefix/include/openssl" "$prefix/lib"
  cp "$src"/include/openssl/*.h "$prefix/include/openssl/"
  cp "$src/libcrypto.a" "$prefix/lib/"
  local version
  version="$(sed -n 's/^ *VERSION *= *//p' "$src/Makefile" | head -1)"
  write_pc libcrypto "$version" "-lcrypto -lws2_32 -lgdi32 -lcrypt32 -lbcrypt" ""
  mark_done openssl
}

build_sqlite() {
  done_stamp sqlite3 && return 0
  step "SQLite"
  local src
  src="$(fetch_source sqlite3)"
  # Debian's tarball is the full source tree: make the amalgamation with the host's compiler and
  # tclsh, then cross-compile that one file.
  (cd "$src" && mkdir -p host && cd host && ../configure --disable-tcl >/dev/null &&
    make -s sqlite3.c >/dev/null)
  local obj="$work/sqlite3.o"
  # Debian's own compile options (debian/rules), so SQLite behaves (and writes) as on Linux: URI
  # names, dbstat (the tests' damaged pages), secure delete, 250000 variables. Extension loading
  # is left out: bkcheck loads none.
  "$cc" -O2 -fno-strict-aliasing -DSQLITE_SECURE_DELETE -DSQLITE_ENABLE_COLUMN_METADATA \
    -DSQLITE_ENABLE_FTS3 -DSQLITE_ENABLE_FTS3_PARENTHESIS -DSQLITE_ENABLE_RTREE=1 \
    -DSQLITE_SOUNDEX=1 -DSQLITE_ENABLE_UNLOCK_NOTIFY -DSQLITE_OMIT_LOOKASIDE=1 \
    -DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_ALLOW_ROWID_IN_VIEW -DSQLITE_ENABLE_UPDATE_DELETE_LIMIT=1 \
    -DSQLITE_ENABLE_JSON1 -DSQLITE_LIKE_DOESNT_MATCH_BLOBS -DSQLITE_THREADSAFE=1 \
    -DSQLITE_ENABLE_FTS3_TOKENIZER=1 -DSQLITE_USE_URI=1 -DSQLITE_MAX_SCHEMA_RETRY=25 \
    -DSQLITE_ENABLE_PREUPDATE_HOOK -DSQLITE_ENABLE_SESSION -DSQLITE_ENABLE_STMTVTAB \
    -DSQLITE_MAX_VARIABLE_NUMBER=250000 -DSQLITE_OMIT_LOAD_EXTENSION \
    -c "$src/host/sqlite3.c" -o "$obj"
  mkdir -p "$prefix/lib" "$prefix/include"
  rm -f "$prefix/lib/libsqlite3.a"
  "$host-ar" rcs "$prefix/lib/libsqlite3.a" "$obj"
  cp "$src/host/sqlite3.h" "$src/src/sqlite3ext.h" "$prefix/include/" 2>/dev/null ||
    cp "$src/host/sqlite3.h" "$prefix/include/"
  write_pc sqlite3 "$(cat "$src/VERSION")" "-lsqlite3" ""
  mark_done sqlite3
}

build_libplist() {
  done_stamp libplist && return 0
  step "libplist"
  local src
  src="$(fetch_source libplist)"
  (cd "$src" && NOCONFIGURE=1 ./autogen.sh >/dev/null 2>&1 &&
    ./configure --host="$host" --prefix="$prefix" CC="$cc" CXX="$cxx" --enable-static \
      --disable-shared --without-cython >/dev/null &&
    make -s -j"$jobs" -C libcnary >/dev/null && make -s -j"$jobs" -C src >/dev/null &&
    make -s -C src install >/dev/null && make -s -C include install >/dev/null)
  mark_done libplist
}

build_xxhash() {
  done_stamp xxhash && return 0
  step "xxHash"
  local src
  src="$(fetch_source xxhash)"
  "$cc" -O2 -c "$src/xxhash.c" -o "$work/xxhash.o"
  mkdir -p "$prefix/lib" "$prefix/include"
  rm -f "$prefix/lib/libxxhash.a"
  "$host-ar" rcs "$prefix/lib/libxxhash.a" "$work/xxhash.o"
  cp "$src/xxhash.h" "$src/xxh3.h" "$prefix/include/"
  write_pc libxxhash "$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version | sed 's/-.*//')" \
    "-lxxhash" ""
  mark_done xxhash
}

build_boost() {
  done_stamp boost && return 0
  step "Boost.Program_options"
  # The full Boost tree is large: unpack only the headers and program_options' sources from the
  # orig tarball (Debian's patches touch neither). Debian's tarball is Boost's modular git layout:
  # each library's headers are in libs/<name>/include/boost/, merged here as `b2 headers` does.
  mkdir -p "$prefix/sources"
  if ! ls "$prefix/sources"/boost1.81_*.orig.tar.xz >/dev/null 2>&1; then
    (cd "$prefix/sources" && apt-get source --download-only -qq boost1.81 >/dev/null 2>&1)
  fi
  local tarball
  tarball="$(ls "$prefix/sources"/boost1.81_*.orig.tar.xz | tail -1)"
  rm -rf "$work/boost" && mkdir -p "$work/boost/tree" "$work/boost/include"
  tar -xJf "$tarball" -C "$work/boost/tree" --wildcards '*/include/boost/*' \
    '*/libs/program_options/src/*'
  local headers
  while IFS= read -r headers; do
    cp -r "$headers" "$work/boost/include/"
  done < <(find "$work/boost/tree" -type d -path '*/include/boost' -prune)
  local objs=() file
  for file in "$work"/boost/tree/*/libs/program_options/src/*.cpp; do
    objs+=("$work/boost/$(basename "$file" .cpp).o")
    printf '%s\n%s\n' "$file" "${objs[-1]}"
  done >"$work/boost/compile.list"
  # Each source and its object, $jobs at a time; xargs fails when any compile does.
  xargs -d '\n' -P "$jobs" -n 2 sh -c "$cxx"' -std=c++17 -O2 -DBOOST_ALL_NO_LIB -I"$0" -c "$1" -o "$2"' \
    "$work/boost/include" <"$work/boost/compile.list"
  mkdir -p "$prefix/lib" "$prefix/include"
  rm -rf "$prefix/include/boost" "$prefix/lib/libboost_program_options.a"
  "$host-ar" rcs "$prefix/lib/libboost_program_options.a" "${objs[@]}"
  mv "$work/boost/include/boost" "$prefix/include/boost"
  mark_done boost
}

build_catch2() {
  done_stamp catch2 && return 0
  step "Catch2 (v2 single header)"
  local src
  src="$(fetch_source catch2)"
  # Header-only: install it with its CMake package files (Catch2Config, Catch.cmake) the way
  # Debian's catch2 package does, with the host's tools (nothing is compiled).
  cmake -S "$src" -B "$work/catch2-build" -DCATCH_BUILD_TESTING=OFF -DCATCH_INSTALL_DOCS=OFF \
    -DCATCH_INSTALL_HELPERS=ON -DBUILD_TESTING=OFF -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
  cmake --install "$work/catch2-build" >/dev/null
  mark_done catch2
}

install_tools
mkdir -p "$prefix"
work="$prefix/work"
mkdir -p "$work"
build_openssl
build_sqlite
build_libplist
build_xxhash
build_boost
build_catch2
rm -rf "$work"
step "dependencies ready in $prefix"
