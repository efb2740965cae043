# Which sources a platform compiles. The OS layer (src/os), the CLI's signal handling and the tests of
# POSIX-only behaviour come in a POSIX and a Windows flavour: win32_*.cpp files are Windows-only;
# posix_*.cpp and the files listed below are POSIX-only (linux_open_files.cpp reads /proc through the
# FileSystem seam and says Unsupported elsewhere, so Windows compiles it too). Everything else is portable
# and compiled everywhere.
set(BKCHECK_POSIX_ONLY_SOURCES
  # src/os: descriptors, *at calls, termios (the Win32 OS layer has its own win32_*.cpp)
  src/os/durable_sync.cpp
  src/os/exclusive_rename.cpp
  src/os/read_ahead.cpp
  src/os/real_file_system.cpp
  src/os/terminal_prompt.cpp
  # tools/bkcheck: sigaction
  tools/bkcheck/interrupt.cpp
  # tests of POSIX behaviour (descriptors, modes, FIFOs, fsync on directories); the Win32 layer's
  # tests are tests/unit/os/test_win32_*.cpp
  tests/unit/os/test_durable_sync.cpp
  tests/unit/os/test_exclusive_rename.cpp
  tests/unit/os/test_read_ahead.cpp
  tests/unit/os/test_real_file_system_special_files.cpp
  tests/unit/os/test_writable_file_system.cpp
)

# bkcheck_platform_sources(<list variable>): drops from the list what this platform does not compile.
function(bkcheck_platform_sources variable)
  set(kept)
  foreach(source ${${variable}})
    get_filename_component(name ${source} NAME)
    file(RELATIVE_PATH relative ${PROJECT_SOURCE_DIR} ${source})
    if(WIN32)
      list(FIND BKCHECK_POSIX_ONLY_SOURCES ${relative} listed)
      if(name MATCHES "^(test_)?posix_" OR NOT listed EQUAL -1)
        continue()
      endif()
    elseif(name MATCHES "^(test_)?win32_")
      continue()
    endif()
    list(APPEND kept ${source})
  endforeach()
  set(${variable} ${kept} PARENT_SCOPE)
endfunction()
