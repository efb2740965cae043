#include "verb.h"

#include "bkcheck/report.h"
#include "bkcheck/verifier.h"

#include <limits>
#include <ostream>
#include <string>

namespace bkcheck::cli {

std::optional<po::variables_map> parse_verb_options(
    const VerbSpec& spec, po::options_description options,
    const po::positional_options_description& positional, const std::vector<std::string>& args,
    Context& context, int& exit_code)
{
    options.add_options()("help,h", "show this help");
    po::variables_map values;
    try {
        po::store(po::command_line_parser(args).options(options).positional(positional).run(),
                  values);
        if (values.count("help")) {
            context.out << "Usage: " << spec.usage << "\n\n"
                        << spec.summary << "\n\n"
                        << options << "\n";
            if (spec.details[0] != '\0') context.out << spec.details << "\n\n";
            context.out << exit_code_table();
            exit_code = k_exit_ok;
            return std::nullopt;
        }
        po::notify(values);
    } catch (const po::error& error) {
        // Boost.Program_options reports usage errors only by exception; this is the edge where
        // they become an exit code (style.md §10).
        context.err << "bkcheck " << spec.name << ": " << error.what() << "\n"
                    << "Usage: " << spec.usage << "\n"
                    << "Try 'bkcheck " << spec.name << " --help'.\n";
        exit_code = k_exit_usage;
        return std::nullopt;
    }
    return values;
}

po::typed_value<long long>* number_in_range(std::string option, long long min, long long max)
{
    return po::value<long long>()->notifier(
        [option = std::move(option), min, max](long long value) {
            if (value >= min && value <= max) return;
            std::string range = max == std::numeric_limits<long long>::max()
                                    ? std::to_string(min) + " or more"
                                    : std::to_string(min) + " to " + std::to_string(max);
            throw po::error("--" + option + " must be " + range + ", not " + std::to_string(value));
        });
}

void add_jobs_option(po::options_description& options)
{
    options.add_options()("jobs,j", number_in_range("jobs", 0, k_max_threads)->default_value(0),
                          ("threads reading blobs, 0 to " + std::to_string(k_max_threads) +
                           " (default 0: one per core)")
                              .c_str());
}

unsigned jobs_from(const po::variables_map& values)
{
    return static_cast<unsigned>(values["jobs"].as<long long>());
}

int exit_code_for(ErrorCode code)
{
    switch (code) {
        case ErrorCode::NotFound:
        case ErrorCode::Io:
        case ErrorCode::InUse:
        case ErrorCode::LocalFault:
            return k_exit_io;
        case ErrorCode::NotABackup:
        case ErrorCode::Unsupported:
            return k_exit_not_a_backup;
        case ErrorCode::Corrupt:
            return k_exit_problems;
        case ErrorCode::WrongPassword:
            return k_exit_wrong_password;
        case ErrorCode::InvalidArgument:
            return k_exit_usage;
        case ErrorCode::Interrupted:
            return k_exit_interrupted;
        case ErrorCode::Internal:
            return k_exit_internal;
    }
    return k_exit_internal;
}

int report_error(const Error& error, Context& context)
{
    // Errors name files and quote plists: escaped like every other text from a backup.
    context.err << "bkcheck: " << terminal_safe(error.describe()) << "\n";
    return exit_code_for(error.code);
}

}  // namespace bkcheck::cli
