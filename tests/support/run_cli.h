// Runs the CLI in-process, as main() does, capturing what it prints and its exit code.
#pragma once

#include "cli.h"

#include <sstream>
#include <string>
#include <vector>

namespace bkcheck::test {

struct CliRun {
    int code = 0;
    std::string out, err;
};

inline CliRun run_cli(const std::vector<std::string>& args, bool terminal = false,
                      bool no_color = true)
{
    std::ostringstream out, err;
    cli::Context context{out, err, Environment{}, terminal, false, no_color};
    CliRun run;
    run.code = cli::run(args, context);
    run.out = out.str();
    run.err = err.str();
    return run;
}

}  // namespace bkcheck::test
