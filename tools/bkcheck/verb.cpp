#include "verb.h"

#include "bkcheck/verifier.h"

#include <ostream>
#include <string>

namespace bkcheck::cli {

std::optional<po::variables_map> parse_verb_options(const VerbSpec& spec, po::options_description options,
                                                    const po::positional_options_description& positional,
                                                    const std::vector<std::string>& args, Context& context,
                                                    int& exit_code)
{
    options.add_options()("help,h", "show this help");
    po::variables_map values;
    try {
        po::store(po::command_line_parser(args).options(options).positional(positional).run(), values);
        if (values.count("help")) {
            context.out << "Usage: " << spec.usage << "\n\n" << spec.summary << "\n\n" << options << "\n";
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

void add_jobs_option(po::options_description& options)
{
    auto in_range = [](long long jobs) {
        if (jobs < 0 || jobs > static_cast<long long>(k_max_threads)) {
            throw po::error("--jobs must be 0 (one thread per core) to " + std::to_string(k_max_threads) + ", not " +
                            std::to_string(jobs));
        }
    };
    options.add_options()("jobs,j", po::value<long long>()->default_value(0)->notifier(in_range),
                          "threads reading blobs (default 0: one per core)");
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
    case ErrorCode::InUse: return k_exit_io;
    case ErrorCode::NotABackup:
    case ErrorCode::Unsupported: return k_exit_not_a_backup;
    case ErrorCode::Corrupt: return k_exit_problems;
    case ErrorCode::WrongPassword: return k_exit_wrong_password;
    case ErrorCode::InvalidArgument: return k_exit_usage;
    case ErrorCode::Interrupted: return k_exit_interrupted;
    case ErrorCode::Internal: return k_exit_internal;
    }
    return k_exit_internal;
}

int report_error(const Error& error, Context& context)
{
    context.err << "bkcheck: " << error.describe() << "\n";
    return exit_code_for(error.code);
}

}  // namespace bkcheck::cli
