// With --json, a verb that ends without printing its document (a usage error, a backup that cannot
// be opened, a wrong password...) still prints one JSON object on stdout, so a script never has to
// parse stderr: {"schema_version": 1, "error": {"code", "exit_code", "message"}} (report.h).
#pragma once

#include "cli.h"

#include <string>
#include <vector>

namespace bkcheck::cli {

// True when `args` (a verb's arguments) ask for JSON: --json before any "--".
bool asks_for_json(const std::vector<std::string>& args);

// Runs `verb` with `context`'s streams watched: when it exits with any status but 0 and wrote
// nothing on stdout, prints the error object built from its last "bkcheck..." line on
// stderr (which is printed as ever).
int run_with_json_errors(int (*verb)(const std::vector<std::string>&, Context&),
                         const std::vector<std::string>& args, Context& context);

}  // namespace bkcheck::cli
