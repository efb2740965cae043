// Ctrl-C: the handler only sets a flag; long operations poll it (through the library's cancel
// flag) and stop cleanly, and the process exits with 130.
#pragma once

#include <atomic>

namespace bkcheck::cli {

void install_interrupt_handler();
bool interrupted();
// The flag itself, to hand to library operations that can be cancelled.
const std::atomic<bool>& interrupt_flag();

}  // namespace bkcheck::cli
