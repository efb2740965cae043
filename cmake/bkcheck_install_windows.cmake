# The Windows release artifact: `cpack` in a build made with cmake/toolchain-mingw-w64-x86_64.cmake
# (tools/build_windows.sh) writes bkcheck-<version>-win64.zip, one folder holding the static
# bkcheck.exe, README.md and LICENCE.txt (packaging/windows-licence.txt: the sources state no
# licence yet; it lists the libraries linked in and theirs). No man page, completion or library:
# Windows has no place for them.
install(TARGETS bkcheck RUNTIME DESTINATION . COMPONENT runtime)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION . COMPONENT runtime)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/windows-licence.txt DESTINATION . RENAME LICENCE.txt
        COMPONENT runtime)

set(CPACK_GENERATOR ZIP)
set(CPACK_PACKAGE_NAME bkcheck)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_SYSTEM_NAME win64)
set(CPACK_PACKAGE_FILE_NAME bkcheck-${PROJECT_VERSION}-win64)
set(CPACK_INCLUDE_TOPLEVEL_DIRECTORY ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL runtime)
include(CPack)
