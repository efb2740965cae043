#include "shared_options.h"

#include "backups_root.h"

#include "bkcheck/verifier.h"

namespace bkcheck::cli {

namespace {

constexpr const char* k_backup_folder = "dir";
constexpr const char* k_output_folder = "out";
constexpr const char* k_backup_roots = "root";
constexpr const char* k_quarantine_owner = "path";
constexpr const char* k_runs = "run";

}  // namespace

void add_backup_folder(po::options_description& options,
                       po::positional_options_description& positional)
{
    options.add_options()(k_backup_folder, po::value<std::string>()->required(), "<dir>");
    positional.add(k_backup_folder, 1);
}

std::string backup_folder(const po::variables_map& values)
{
    return values[k_backup_folder].as<std::string>();
}

void add_backup_and_output_folders(po::options_description& options,
                                   po::positional_options_description& positional)
{
    add_backup_folder(options, positional);
    options.add_options()(k_output_folder, po::value<std::string>()->required(), "<OUT>");
    positional.add(k_output_folder, 1);
}

fs::path output_folder(const po::variables_map& values)
{
    return normalized_path(values[k_output_folder].as<std::string>());
}

void add_backup_roots(po::options_description& options,
                      po::positional_options_description& positional, bool required)
{
    auto* value = po::value<std::vector<std::string>>();
    if (required) value->required();
    options.add_options()(k_backup_roots, value, "[<folder>...]");
    positional.add(k_backup_roots, -1);
}

std::vector<std::string> backup_roots(const po::variables_map& values)
{
    if (!values.count(k_backup_roots)) return {};
    return values[k_backup_roots].as<std::vector<std::string>>();
}

void add_quarantine_arguments(po::options_description& options,
                              po::positional_options_description& positional, int max_runs)
{
    options.add_options()(k_quarantine_owner, po::value<std::string>()->required(), "<path>")(
        k_runs, po::value<std::vector<std::string>>(), "[RUN]");
    positional.add(k_quarantine_owner, 1).add(k_runs, max_runs);
}

std::string quarantine_owner(const po::variables_map& values)
{
    return values[k_quarantine_owner].as<std::string>();
}

std::vector<std::string> named_runs(const po::variables_map& values)
{
    if (!values.count(k_runs)) return {};
    return values[k_runs].as<std::vector<std::string>>();
}

void add_json_option(po::options_description& options, const char* description)
{
    options.add_options()("json", description);
}

bool json_requested(const po::variables_map& values)
{
    return values.count("json") != 0;
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

}  // namespace bkcheck::cli
