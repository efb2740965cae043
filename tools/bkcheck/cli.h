// The bkcheck command line: a table of verbs over the library. Parses arguments, calls the library,
// prints, and maps outcomes to the exit codes of exit_codes.h. Nothing here knows the backup
// format.
#pragma once

#include "bkcheck/discovery.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace bkcheck::cli {

enum class Verbosity { Quiet, Normal, Verbose };

struct Context {
    std::ostream& out;
    std::ostream& err;
    Environment environment;  // HOME / APPDATA / USERPROFILE and the platform we run on
    bool out_is_terminal = false;
    bool err_is_terminal = false;
    bool no_color = false;  // NO_COLOR is set (to anything)
    // --quiet / -v, taken off the command line by run() before the verb sees it. Quiet: run()
    // hands the verb a context whose `out` discards everything and no progress is drawn; only
    // errors (on err) and the exit code remain.
    Verbosity verbosity = Verbosity::Normal;
};

// Runs one command line (argv without the program name). Returns the exit code.
int run(const std::vector<std::string>& args, Context& context);

// The environment of this process (platform from the build, variables from getenv).
Environment process_environment();

}  // namespace bkcheck::cli
