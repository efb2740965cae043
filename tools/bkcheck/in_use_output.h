// How prune and repair treat a backup in use (backup.h): --apply refuses to change it
// (exit 5) unless --assume-finished says it is finished (never while a process holds its files
// open); a preview says so beforehand.
#pragma once

#include "verb.h"

#include "bkcheck/backup.h"

#include <string>
#include <vector>

namespace bkcheck::cli {

// --assume-finished, for the verbs that change backups.
void add_assume_finished_option(po::options_description& options);

// What to print with the plan, for each backup it changes that is in use: that --apply will be (or
// was) let through by --assume-finished, or that it will be refused, why, and how to proceed.
std::string render_in_use_notice(const std::vector<BackupInUse>& in_use, bool apply,
                                 bool assume_finished);

// The backups in use that stop --apply: all of them, or with --assume-finished those a running
// process holds open (the flag is for a finished copy whose times are new, never for a live
// writer).
std::vector<BackupInUse> apply_blockers(const std::vector<BackupInUse>& in_use,
                                        bool assume_finished);

// The InUse error --apply stops with when a backup it would change is in use (none is changed).
Error in_use_refusal(const std::vector<BackupInUse>& in_use);

}  // namespace bkcheck::cli
