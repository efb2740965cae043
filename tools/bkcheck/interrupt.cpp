#include "interrupt.h"

#include <csignal>

namespace bkcheck::cli {
namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_interrupt(int)
{
    g_interrupted.store(true);
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
