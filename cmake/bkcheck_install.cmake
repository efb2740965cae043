# Installation and packaging, in two components that `cpack -G DEB` turns into two Debian packages:
#   runtime -> bkcheck          the program, its man page (gzipped), bash completion and docs;
#   dev     -> libbkcheck-dev   the public headers, the static library (every layer in one archive,
#                               src/CMakeLists.txt) and its pkg-config file.
# Each package carries /usr/share/doc/<package>/copyright (packaging/copyright, DEP-5) and
# changelog.Debian.gz (packaging/changelog.in), as Debian policy asks, and its lintian overrides
# (packaging/lintian/<package>).
if(WIN32)
  include(${CMAKE_CURRENT_LIST_DIR}/bkcheck_install_windows.cmake)
  return()
endif()
include(GNUInstallDirs)

set(BKCHECK_MAINTAINER "bkcheck maintainers <bkcheck@example.org>"
    CACHE STRING "Maintainer field of the Debian packages (\"Name <address>\"): set it to whoever builds and answers for the package")

# The library goes where Debian's multiarch layout wants it (lib/x86_64-linux-gnu), also under
# /usr/local, which the linker and pkg-config search on Debian too: GNUInstallDirs picks that only
# when configured for the /usr prefix, and the package is made from a /usr/local configuration.
set(BKCHECK_LIBDIR ${CMAKE_INSTALL_LIBDIR})
if(CMAKE_LIBRARY_ARCHITECTURE AND NOT BKCHECK_LIBDIR MATCHES "/${CMAKE_LIBRARY_ARCHITECTURE}$")
  set(BKCHECK_LIBDIR ${BKCHECK_LIBDIR}/${CMAKE_LIBRARY_ARCHITECTURE})
endif()

install(TARGETS bkcheck RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(TARGETS bkcheck_archive ARCHIVE DESTINATION ${BKCHECK_LIBDIR} COMPONENT dev)
# A stripped install (cpack, `cmake --install --strip`) strips the program but not an archive:
# drop the archive's debug sections (120 MB of them) and both files' compiler-version notes.
install(CODE "
  if(CMAKE_INSTALL_DO_STRIP)
    execute_process(COMMAND \"${CMAKE_STRIP}\" --strip-debug --remove-section=.comment
                    \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${BKCHECK_LIBDIR}/$<TARGET_FILE_NAME:bkcheck_archive>\"
                    COMMAND_ERROR_IS_FATAL ANY)
  endif()" COMPONENT dev)
install(CODE "
  if(CMAKE_INSTALL_DO_STRIP)
    execute_process(COMMAND \"${CMAKE_STRIP}\" --remove-section=.comment
                    \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/$<TARGET_FILE_NAME:bkcheck>\"
                    COMMAND_ERROR_IS_FATAL ANY)
  endif()" COMPONENT runtime)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/bkcheck DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        COMPONENT dev FILES_MATCHING PATTERN "*.h")
file(RELATIVE_PATH BKCHECK_PC_TO_PREFIX /prefix/${BKCHECK_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" BKCHECK_PC_TO_PREFIX "${BKCHECK_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/bkcheck.pc.in ${PROJECT_BINARY_DIR}/bkcheck.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/bkcheck.pc DESTINATION ${BKCHECK_LIBDIR}/pkgconfig COMPONENT dev)

# Compressed as Debian wants them: gzip -9n (no name or time stamp, so the build is reproducible).
find_program(BKCHECK_GZIP gzip REQUIRED)
function(bkcheck_gzip source output)
  add_custom_command(OUTPUT ${output} COMMAND ${BKCHECK_GZIP} -9n -c ${source} > ${output}
                     DEPENDS ${source} VERBATIM)
endfunction()
set(BKCHECK_DOC_DIR ${PROJECT_BINARY_DIR}/packaging)
file(MAKE_DIRECTORY ${BKCHECK_DOC_DIR})
bkcheck_gzip(${PROJECT_SOURCE_DIR}/man/bkcheck.1 ${BKCHECK_DOC_DIR}/bkcheck.1.gz)
configure_file(${PROJECT_SOURCE_DIR}/packaging/changelog.in ${BKCHECK_DOC_DIR}/changelog @ONLY)
bkcheck_gzip(${BKCHECK_DOC_DIR}/changelog ${BKCHECK_DOC_DIR}/changelog.Debian.gz)
add_custom_target(bkcheck_packaging_files ALL
                  DEPENDS ${BKCHECK_DOC_DIR}/bkcheck.1.gz ${BKCHECK_DOC_DIR}/changelog.Debian.gz)

install(FILES ${BKCHECK_DOC_DIR}/bkcheck.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT runtime)
install(FILES ${PROJECT_SOURCE_DIR}/completion/bkcheck.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME bkcheck COMPONENT runtime)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/packaging/copyright
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)
# Debian's doc folder is named after the package, so each package has its own. EXCLUDE_FROM_ALL:
# these are for the packages (cpack installs component by component), not for `cmake --install`.
foreach(component_package runtime:bkcheck dev:libbkcheck-dev)
  string(REPLACE ":" ";" pair ${component_package})
  list(GET pair 0 component)
  list(GET pair 1 package)
  if(NOT package STREQUAL "bkcheck")
    install(FILES ${PROJECT_SOURCE_DIR}/packaging/copyright DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${package}
            COMPONENT ${component} EXCLUDE_FROM_ALL)
  endif()
  install(FILES ${BKCHECK_DOC_DIR}/changelog.Debian.gz DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${package}
          COMPONENT ${component} EXCLUDE_FROM_ALL)
  # lintian tags that do not apply, each with the reason (README.md, "Installing").
  install(FILES ${PROJECT_SOURCE_DIR}/packaging/lintian/${package}
          DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides COMPONENT ${component} EXCLUDE_FROM_ALL)
endforeach()

set(CPACK_PACKAGE_NAME bkcheck)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${BKCHECK_MAINTAINER}")
# No CPACK_PACKAGE_DESCRIPTION_SUMMARY: CPack would put it before each component's description,
# whose first line is that package's own synopsis.
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${BKCHECK_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)  # the Debian revision, as in packaging/changelog.in
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev)
set(CPACK_COMPONENTS_GROUPING IGNORE)  # one package per component

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME bkcheck)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)  # Depends from the libraries the program links
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION
    "verify, repair and prune local iPhone/iPad backups
bkcheck checks local iPhone/iPad backups (Finder, iTunes, idevicebackup2):
whether they will restore and why a backup fails (doctor); it repairs or
prunes them, undoably, and extracts or exports their files.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libbkcheck-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# The archive needs these to link (bkcheck.pc's Requires.private), pkg-config to be found at all.
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "libplist-dev, libsqlite3-dev, libssl-dev, libxxhash-dev")
set(CPACK_DEBIAN_DEV_DESCRIPTION
    "verify, repair and prune local iPhone/iPad backups (development files)
The bkcheck library as a static archive, libbkcheck.a, with its public
headers and a pkg-config file (bkcheck.pc), for programs that open, verify,
repair or extract local iPhone/iPad backups as the bkcheck program does.")

# macOS has no .deb: `cpack` makes bkcheck-<version>-macos-<arch>.tar.gz, one folder holding bin/,
# share/man/man1/, lib/, include/ as they go under a prefix (tar -xzf ... -C /usr/local
# --strip-components 1; /usr/local is `cmake --install`'s default there too, Homebrew passes its own).
if(APPLE)
  set(CPACK_GENERATOR TGZ)
  set(CPACK_PACKAGING_INSTALL_PREFIX /)
  set(CPACK_SYSTEM_NAME macos-${CMAKE_SYSTEM_PROCESSOR})
endif()
include(CPack)
