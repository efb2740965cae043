// bkcheck's entry point: installs the interrupt flag, runs the command line, and is the single
// last-resort catch (style.md §10): anything escaping is a bug, reported as exit 70.
#include "cli.h"
#include "exit_codes.h"
#include "interrupt.h"

#include <cstdlib>
#include <exception>
#include <iostream>
#include <new>

#include <unistd.h>

int main(int argc, char** argv)
{
    bkcheck::cli::install_interrupt_handler();
    try {
        bkcheck::cli::Context context{std::cout, std::cerr, bkcheck::cli::process_environment(),
                                      ::isatty(STDOUT_FILENO) != 0, ::isatty(STDERR_FILENO) != 0,
                                      std::getenv("NO_COLOR") != nullptr};
        int code = bkcheck::cli::run(std::vector<std::string>(argv + 1, argv + argc), context);
        std::cout.flush();
        return bkcheck::cli::interrupted() ? bkcheck::cli::k_exit_interrupted : code;
    } catch (const std::bad_alloc&) {
        std::cerr << "bkcheck: out of memory\n";
    } catch (const std::exception& error) {
        std::cerr << "bkcheck: internal error, please report: " << error.what() << "\n";
    } catch (...) {
        std::cerr << "bkcheck: internal error, please report\n";
    }
    return bkcheck::cli::k_exit_internal;
}
