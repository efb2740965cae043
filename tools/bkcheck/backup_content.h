// What ls, usage, extract and export share: open the backup, unlock it when its content needs the
// password (the same sources as verify: --password-file, BKCHECK_PASSWORD, --key-file, or a prompt
// on a terminal), and print the findings of a run.
#pragma once

#include "verb.h"

#include "bkcheck/backup.h"
#include "bkcheck/backup_index.h"
#include "bkcheck/extract.h"
#include "bkcheck/findings.h"
#include "bkcheck/manifest.h"
#include "bkcheck/unlock.h"

#include <optional>
#include <string_view>

namespace bkcheck::cli {

struct BackupContent {
    Backup backup;
    std::optional<UnlockedKeys> keys;
    const ClassKeys* class_keys() const { return keys ? keys->class_keys.get() : nullptr; }
};

// Opens the backup and unlocks it when needed; the index is left to the verb, which streams it
// (for_each_backup_record, StreamedRecords). `need_blob_keys`: the verb reads blobs (extract,
// export), so an encrypted backup needs the password even when its index is readable without it
// (iOS 5-9).
Result<BackupContent> open_backup_unlocked(const po::variables_map& values, const std::string& dir,
                                           bool need_blob_keys, Context& context);

// --domain, --path, --file-id.
void add_filter_options(po::options_description& options);
RecordFilter filter_from(const po::variables_map& values);
// When a filter was given and no record matched it (a mistyped --domain, --path or --file-id): says
// so on stderr ("nothing was <done>") and which part matched nothing when `tally` (noted over every
// record) says, and returns true, for exit 1: what was asked was not done.
bool report_empty_selection(const RecordFilter& filter, std::uint64_t matched,
                            const FilterTally* tally, std::string_view done, std::string_view verb,
                            Context& context);

// --names native|portable (extract and export).
void add_names_option(po::options_description& options);
// The --names given (native when none); nullopt, with the usage message on stderr, for another.
std::optional<OutputNames> names_from(const po::variables_map& values, std::string_view verb,
                                      Context& context);

// One line per kept finding: "  code  domain/path: message" (the code painted by its severity when
// `color`; names and message through terminal_safe), and a count of those over the cap.
void print_findings(const FindingSink& sink, std::ostream& out, bool color);

// After ls or usage read the index: when reading it found errors (a damaged Manifest.db stops
// part-way, SQLite reads what it can), says on stderr that the output covers only the rows that
// could be read, with the findings and the commands to run, and returns k_exit_problems; k_exit_ok
// otherwise.
int report_partial_index(const FindingSink& sink, const fs::path& backup, Context& context);

}  // namespace bkcheck::cli
