// The arguments and options several verbs take, declared here once so that one name means one
// thing everywhere: the backup folder (<dir>), the output folder (<OUT>), backups or folders of
// backups ([<folder>...]), a quarantine's owner and runs (undo, purge), --json and --jobs. The
// credential options are in password.h, the filters in backup_content.h. Positional arguments are
// declared as options only because Boost stores values by option name; --help never shows them and
// a usage error names their placeholder (verb.cpp).
#pragma once

#include "verb.h"

#include "bkcheck/status.h"

#include <string>
#include <vector>

namespace bkcheck::cli {

// <dir>: the one backup a verb works on, as typed (the library names it so in its errors).
void add_backup_folder(po::options_description& options,
                       po::positional_options_description& positional);
std::string backup_folder(const po::variables_map& values);

// <dir> <OUT>: a backup and the folder extract or export writes into (absolute, normalized).
void add_backup_and_output_folders(po::options_description& options,
                                   po::positional_options_description& positional);
fs::path output_folder(const po::variables_map& values);

// [<folder>...] (or <path>... when `required`): backups or folders of backups, as typed.
void add_backup_roots(po::options_description& options,
                      po::positional_options_description& positional, bool required);
std::vector<std::string> backup_roots(const po::variables_map& values);

// <path> [RUN...]: the backup or folder of backups whose quarantine undo and purge act on, and the
// runs named (at most `max_runs`; -1: any number).
void add_quarantine_arguments(po::options_description& options,
                              po::positional_options_description& positional, int max_runs);
std::string quarantine_owner(const po::variables_map& values);
std::vector<std::string> named_runs(const po::variables_map& values);

// --json, described by what the verb prints with it.
void add_json_option(po::options_description& options, const char* description);
bool json_requested(const po::variables_map& values);

// --jobs/-j, for the verbs that read blobs: 0 (the default, one thread per core) to k_max_threads;
// anything else (a negative number included) is a usage error.
void add_jobs_option(po::options_description& options);
unsigned jobs_from(const po::variables_map& values);

}  // namespace bkcheck::cli
