#include "verb.h"

#include "bkcheck/report.h"

#include <algorithm>
#include <limits>
#include <ostream>
#include <string>

namespace bkcheck::cli {

namespace {

// The names of the positional arguments (dir, out, path, run, root): declared as options only
// because Boost stores values by option name.
std::vector<std::string> positional_names(const po::positional_options_description& positional)
{
    // Past the last position with a count, every position has the name of the unbounded one.
    std::vector<std::string> names;
    for (unsigned i = 0; i < std::min(positional.max_total_count(), 8u); ++i) {
        const std::string& name = positional.name_for_position(i);
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
    return names;
}

// The placeholders of the usage line in order ("<dir>", "<OUT>", "[RUN]"), to name a missing
// argument in the words the user was shown.
std::vector<std::string> usage_placeholders(std::string_view usage)
{
    std::vector<std::string> placeholders;
    std::size_t at = usage.find("[options]");
    at = at == std::string_view::npos ? 0 : at + 9;
    while (at < usage.size()) {
        char open = usage[at];
        char close = open == '<' ? '>' : open == '[' ? ']' : '\0';
        std::size_t end = close == '\0' ? std::string_view::npos : usage.find(close, at);
        if (end == std::string_view::npos) {
            ++at;
            continue;
        }
        std::string group(usage.substr(at, end - at + 1));
        // "[<folder>...]" names the folder, not the brackets.
        if (group.size() > 2 && group[1] == '<') group = group.substr(1, group.find('>'));
        placeholders.push_back(group);
        at = end + 1;
    }
    return placeholders;
}

// The visible options: everything but the positional arguments, which the usage line shows.
po::options_description visible_options(const po::options_description& options,
                                        const std::vector<std::string>& positionals)
{
    po::options_description visible("Options");  // every verb's caption
    for (const auto& option : options.options()) {
        if (std::find(positionals.begin(), positionals.end(), option->long_name()) ==
            positionals.end())
            visible.add(option);
    }
    return visible;
}

}  // namespace

std::optional<po::variables_map> parse_verb_options(
    const VerbSpec& spec, po::options_description options,
    const po::positional_options_description& positional, const std::vector<std::string>& args,
    Context& context, int& exit_code)
{
    options.add_options()("help,h", "show this help");
    std::vector<std::string> positionals = positional_names(positional);
    auto usage_error = [&](const std::string& message) {
        context.err << "bkcheck " << spec.name << ": " << message << "\n"
                    << "Usage: " << spec.usage << "\n"
                    << "Try 'bkcheck " << spec.name << " --help'.\n";
        exit_code = k_exit_usage;
        return std::nullopt;
    };
    // A positional argument is not an option: `prune --path X` must not reach the hidden "path"
    // (other verbs' --path is a glob).
    for (const std::string& arg : args) {
        if (arg == "--") break;
        for (const std::string& name : positionals) {
            if (arg == "--" + name || arg.rfind("--" + name + "=", 0) == 0)
                return usage_error("unrecognised option '--" + name + "'");
        }
    }
    po::variables_map values;
    try {
        po::store(po::command_line_parser(args).options(options).positional(positional).run(),
                  values);
        if (values.count("help")) {
            context.out << "Usage: " << spec.usage << "\n\n"
                        << spec.summary << "\n\n"
                        << visible_options(options, positionals) << "\n";
            if (spec.details[0] != '\0') context.out << spec.details << "\n\n";
            context.out << exit_code_table();
            exit_code = k_exit_ok;
            return std::nullopt;
        }
        po::notify(values);
    } catch (const po::required_option& error) {
        // Boost names the hidden option ("--dir"); the user was shown a placeholder ("<dir>").
        std::string name = error.get_option_name();
        if (name.rfind("--", 0) == 0) name = name.substr(2);
        auto found = std::find(positionals.begin(), positionals.end(), name);
        std::vector<std::string> placeholders = usage_placeholders(spec.usage);
        std::size_t index = static_cast<std::size_t>(found - positionals.begin());
        if (found != positionals.end() && index < placeholders.size())
            return usage_error("missing " + placeholders[index]);
        return usage_error(error.what());
    } catch (const po::invalid_option_value& error) {
        // Only the number options can fail to convert: say so in those words ("-j /tmp" read as
        // a folder given to --jobs).
        std::string what = error.what();
        std::size_t open = what.find("('"), close = what.find("')");
        std::string value = open != std::string::npos && close != std::string::npos && close > open
                                ? what.substr(open + 2, close - open - 2)
                                : "";
        return usage_error(error.get_option_name() + " takes a whole number, not '" + value + "'");
    } catch (const po::error& error) {
        // Boost.Program_options reports usage errors only by exception; this is the edge where
        // they become an exit code (style.md §10).
        return usage_error(error.what());
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
