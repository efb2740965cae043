# Installation and packaging: the bkcheck binary, the static library (every layer in one archive,
# src/CMakeLists.txt) with its public headers and a pkg-config file, the man page and bash
# completion; `cpack -G DEB` makes a Debian package of it.
include(GNUInstallDirs)

install(TARGETS bkcheck RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS bkcheck_archive ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/bkcheck DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
file(RELATIVE_PATH BKCHECK_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" BKCHECK_PC_TO_PREFIX "${BKCHECK_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/bkcheck.pc.in ${PROJECT_BINARY_DIR}/bkcheck.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/bkcheck.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
install(FILES ${PROJECT_SOURCE_DIR}/man/bkcheck.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/completion/bkcheck.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME bkcheck)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_PACKAGE_NAME bkcheck)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "verify, repair and prune local iPhone/iPad backups")
set(CPACK_PACKAGE_DESCRIPTION
    "bkcheck checks local iPhone/iPad backups (Finder, iTunes, idevicebackup2): whether they will restore, why a backup fails (doctor), and repairs or prunes them, undoably.")
set(CPACK_PACKAGE_CONTACT "bkcheck maintainers <bkcheck@example.org>")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "bkcheck maintainers <bkcheck@example.org>")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libplist3, libsqlite3-0, libssl3, libxxhash0, libboost-program-options1.74.0, libc6, libstdc++6")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
# macOS has no .deb: `cpack` makes bkcheck-<version>-macos-<arch>.tar.gz, one folder holding bin/,
# share/man/man1/, lib/, include/ as they go under a prefix (tar -xzf ... -C /usr/local
# --strip-components 1; /usr/local is `cmake --install`'s default there too, Homebrew passes its own).
if(APPLE)
  set(CPACK_GENERATOR TGZ)
  set(CPACK_PACKAGING_INSTALL_PREFIX /)
  set(CPACK_SYSTEM_NAME macos-${CMAKE_SYSTEM_PROCESSOR})
endif()
include(CPack)
