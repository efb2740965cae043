# Cross-compiling bkcheck for 64-bit Windows with Debian's MinGW-w64 (g++-mingw-w64-x86-64-posix),
# against the static dependencies tools/build_mingw_deps.sh puts in a prefix:
#   cmake -S . -B build-windows -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-mingw-w64-x86_64.cmake
# (tools/build_windows.sh does all of it). The prefix is $BKCHECK_MINGW_PREFIX, else
# build-windows/deps in the source tree. The result is one static bkcheck.exe: no MinGW DLLs to ship.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(BKCHECK_MINGW_HOST x86_64-w64-mingw32)

# The -posix compilers: their libstdc++ has std::thread and std::mutex (on winpthreads).
set(CMAKE_C_COMPILER ${BKCHECK_MINGW_HOST}-gcc-posix)
set(CMAKE_CXX_COMPILER ${BKCHECK_MINGW_HOST}-g++-posix)
set(CMAKE_RC_COMPILER ${BKCHECK_MINGW_HOST}-windres)

if(DEFINED ENV{BKCHECK_MINGW_PREFIX} AND NOT "$ENV{BKCHECK_MINGW_PREFIX}" STREQUAL "")
  set(BKCHECK_MINGW_PREFIX "$ENV{BKCHECK_MINGW_PREFIX}")
elseif(NOT BKCHECK_MINGW_PREFIX)
  get_filename_component(BKCHECK_MINGW_PREFIX "${CMAKE_CURRENT_LIST_DIR}/../build-windows/deps" ABSOLUTE)
endif()
# try_compile projects read this file again without the cache: hand the prefix on.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES BKCHECK_MINGW_PREFIX)

# Libraries and headers only from the MinGW sysroot and the prefix; programs from the host.
set(CMAKE_FIND_ROOT_PATH /usr/${BKCHECK_MINGW_HOST} ${BKCHECK_MINGW_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(CMAKE_PREFIX_PATH ${BKCHECK_MINGW_PREFIX})

# pkg-config must see the prefix's .pc files and never the host's.
set(ENV{PKG_CONFIG_LIBDIR} "${BKCHECK_MINGW_PREFIX}/lib/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
set(OPENSSL_ROOT_DIR ${BKCHECK_MINGW_PREFIX})
set(OPENSSL_USE_STATIC_LIBS ON)
set(BOOST_ROOT ${BKCHECK_MINGW_PREFIX})
set(Boost_USE_STATIC_LIBS ON)
set(Boost_USE_STATIC_RUNTIME ON)
set(Boost_NO_SYSTEM_PATHS ON)
set(Boost_NO_WARN_NEW_VERSIONS ON)  # FindBoost knows 1.81 well enough for program_options

# Everything static, the C++ and C runtimes and winpthreads included.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")

# Built programs run under Wine (Catch2's test discovery, CTest).
find_program(BKCHECK_WINE NAMES wine64 wine)
if(BKCHECK_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${BKCHECK_WINE})
endif()
