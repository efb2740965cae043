// Shared plumbing for the verbs: option parsing with uniform --help and usage errors, and the
// one place a library Error becomes a message and an exit code.
#pragma once

#include "cli.h"
#include "exit_codes.h"

#include "bkcheck/status.h"

#include <boost/program_options.hpp>

#include <optional>
#include <string>
#include <vector>

namespace bkcheck::cli {

namespace po = boost::program_options;

struct VerbSpec {
    const char* name;
    const char* usage;    // "bkcheck info [options] <dir>"
    const char* summary;  // one line for the verb table
    const char* details;  // paragraph printed by --help after the options
};

// Parses `args` against `options` (plus --help) and the positional names. On --help prints help and
// sets `exit_code` to 0; on a usage error prints it and sets `exit_code` to 2; returns nullopt
// then.
std::optional<po::variables_map> parse_verb_options(
    const VerbSpec& spec, po::options_description options,
    const po::positional_options_description& positional, const std::vector<std::string>& args,
    Context& context, int& exit_code);

// The value of a whole-number option that must lie in [min, max] (read it with as<long long>()). It
// is parsed as a signed number, so "-1" is a usage error naming it instead of wrapping round to
// 4294967295 as an unsigned option would.
po::typed_value<long long>* number_in_range(std::string option, long long min, long long max);
// Days given to --older-than: up to a century, so that DAYS * 86400 cannot overflow.
constexpr long long k_max_days = 36500;

// Prints "bkcheck: <file>: <message>" and returns the exit code for the error.
int report_error(const Error& error, Context& context);

// The exit code an operational error maps to.
int exit_code_for(ErrorCode code);

int run_list(const std::vector<std::string>& args, Context& context);
int run_info(const std::vector<std::string>& args, Context& context);
int run_verify(const std::vector<std::string>& args, Context& context);
int run_unlock(const std::vector<std::string>& args, Context& context);
int run_prune(const std::vector<std::string>& args, Context& context);
int run_repair(const std::vector<std::string>& args, Context& context);
int run_undo(const std::vector<std::string>& args, Context& context);
int run_purge(const std::vector<std::string>& args, Context& context);
int run_ls(const std::vector<std::string>& args, Context& context);
int run_usage(const std::vector<std::string>& args, Context& context);
int run_extract(const std::vector<std::string>& args, Context& context);
int run_export(const std::vector<std::string>& args, Context& context);
int run_doctor(const std::vector<std::string>& args, Context& context);

}  // namespace bkcheck::cli
