#include "interrupt.h"

#include <csignal>

namespace bkcheck::cli {
namespace {

std::atomic<bool> g_interrupted{false};

// The first Ctrl-C asks the work to stop at its next check (exit 130, nothing half-written); a
// second one ends the process at once, in case something blocks where no check comes.
extern "C" void on_interrupt(int signal_number)
{
    if (g_interrupted.exchange(true)) {
        std::signal(signal_number, SIG_DFL);
        std::raise(signal_number);
    }
}

}  // namespace

void install_interrupt_handler()
{
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
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
