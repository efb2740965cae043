// interrupt.h for Windows: Ctrl-C and Ctrl-Break arrive through SetConsoleCtrlHandler (on a
// thread of their own), as SIGINT does through sigaction on POSIX.
#include "interrupt.h"

#include <windows.h>

namespace bkcheck::cli {
namespace {

std::atomic<bool> g_interrupted{false};

// The first Ctrl-C asks the work to stop at its next check (exit 130, nothing half-written); a
// second one is left to Windows' default handler, which ends the process at once, in case
// something blocks where no check comes. Closing the console window or logging off also asks the
// work to stop; Windows ends the process soon after whatever a handler returns.
BOOL WINAPI on_console_event(DWORD event)
{
    switch (event) {
        case CTRL_C_EVENT:
        case CTRL_BREAK_EVENT:
            return g_interrupted.exchange(true) ? FALSE : TRUE;
        case CTRL_CLOSE_EVENT:
        case CTRL_LOGOFF_EVENT:
        case CTRL_SHUTDOWN_EVENT:
            g_interrupted.store(true);
            return FALSE;
        default:
            return FALSE;
    }
}

}  // namespace

void install_interrupt_handler()
{
    ::SetConsoleCtrlHandler(on_console_event, TRUE);
}

bool interrupted()
{
    return g_interrupted.load();
}

const std::atomic<bool>& interrupt_flag()
{
    return g_interrupted;
}

}  // namespace bkcheck::cli
