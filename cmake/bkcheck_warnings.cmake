# One INTERFACE target carries the warning flags, so every target gets the same set.
add_library(bkcheck_warnings INTERFACE)
target_compile_options(bkcheck_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
  -Wimplicit-fallthrough)
if(BKCHECK_WERROR)
  target_compile_options(bkcheck_warnings INTERFACE -Werror)
endif()
