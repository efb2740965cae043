// Credentials for encrypted backups, shared by the verbs that read them. Where the password comes
// from, safest first: --password-file, the BKCHECK_PASSWORD environment variable, a no-echo prompt
// on the terminal; --password on the command line works but warns, since other users can read a
// process's arguments. --key-file uses a passcode key saved by `bkcheck unlock --save-key` instead,
// skipping the slow derivation.
#pragma once

#include "verb.h"

#include "bkcheck/unlock.h"

#include <functional>

namespace bkcheck::cli {

void add_credential_options(po::options_description& options);

// True when the command line names a password or key source (the environment variable counts too).
bool credentials_given(const po::variables_map& values);

// Reads the --password-file or --key-file named, if any, and says what is wrong with it (missing,
// unreadable, not a key file): for verbs that unlock many backups later (doctor), so a mistyped
// path is one clear error up front instead of a misleading finding about every encrypted backup.
Status check_credential_files(const po::variables_map& values);

// A function that unlocks the backup: the password is obtained now (prompting if need be), the slow
// derivation runs when the function is called, so a caller can run it on another thread.
Result<std::function<Result<UnlockedKeys>()>> prepare_unlock(const po::variables_map& values, const Backup& backup,
                                                             Context& context);

// Writes the 32-byte passcode key as 64 hex digits to a file created with mode 0600 (atomically:
// temporary file, fsync, rename), and reads it back.
Status save_key_file(const fs::path& file, const SecretBytes& key);
Result<SecretBytes> load_key_file(const fs::path& file);

}  // namespace bkcheck::cli
