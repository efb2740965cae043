// bkcheck's entry point: installs the interrupt flag, runs the command line, checks that all of
// stdout was written, and is the single last-resort catch (style.md §10): anything escaping is a
// bug, reported as exit 70.
#include "cli.h"
#include "exit_codes.h"
#include "interrupt.h"
#include "process_arguments.h"
#include "terminal_output.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <new>

namespace {

// Output that did not all reach stdout (a full disk, `> /dev/full`, a reader that went away) is a
// failure a script must see: one line on stderr and exit 5, whatever the verb found. std::cout
// shares C's stdout buffer, so the last of it is written here, and a failed write earlier is
// remembered by the stream and by ferror.
int check_stdout(int code)
{
    errno = 0;
    std::cout.flush();
    int error = errno;
    if (std::fflush(stdout) != 0) error = errno;
    if (!std::cout.fail() && std::ferror(stdout) == 0) return code;
    std::cerr << "bkcheck: cannot write to standard output" << (error != 0 ? ": " : "")
              << (error != 0 ? std::strerror(error) : "") << "; the output is incomplete\n";
    return bkcheck::cli::k_exit_io;
}

}  // namespace

int main(int argc, char** argv)
{
    bkcheck::cli::install_interrupt_handler();
    // A closed pipe is a write error (EPIPE, reported by check_stdout) rather than a silent death
    // by SIGPIPE that a script cannot tell from success once a pipeline hides the status.
#ifdef SIGPIPE  // Windows has no SIGPIPE: a write to a closed pipe fails with EPIPE/EINVAL there
    std::signal(SIGPIPE, SIG_IGN);
#endif
    bkcheck::cli::use_binary_standard_streams();
    try {
        bkcheck::cli::Context context{
            std::cout,
            std::cerr,
            bkcheck::cli::process_environment(),
            bkcheck::prepare_terminal_output(bkcheck::StandardStream::Output),
            bkcheck::prepare_terminal_output(bkcheck::StandardStream::Error),
            std::getenv("NO_COLOR") != nullptr};
        int code =
            check_stdout(bkcheck::cli::run(bkcheck::cli::process_arguments(argc, argv), context));
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
