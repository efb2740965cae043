# All dependencies come from Debian packages (see README: the apt-get line installs them).
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBPLIST REQUIRED IMPORTED_TARGET libplist-2.0)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)
find_package(OpenSSL 3 REQUIRED)
if(WIN32)
  # A static libcrypto (cmake/toolchain-mingw-w64-x86_64.cmake) needs the Windows libraries it calls:
  # sockets, the certificate store and the system's random source.
  set_property(TARGET OpenSSL::Crypto APPEND PROPERTY INTERFACE_LINK_LIBRARIES ws2_32 crypt32 bcrypt)
endif()
find_package(Threads REQUIRED)
find_package(Boost REQUIRED COMPONENTS program_options)
if(BKCHECK_TESTS)
  # Catch2 v3 first (Homebrew, vcpkg, MSYS2 ship only it), else v2 (Debian bookworm's 2.13).
  find_package(Catch2 3 QUIET)
  if(NOT Catch2_FOUND)
    find_package(Catch2 2 REQUIRED)
  endif()
endif()
