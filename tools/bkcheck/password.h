// Credentials for encrypted backups, shared by the verbs that read them. Where the password comes
// from, safest first: --password-file, the BKCHECK_PASSWORD environment variable, a no-echo prompt
// on the terminal; --password on the command line works but warns, since other users can read a
// process's arguments. --key-file uses a passcode key saved by `bkcheck unlock --save-key` instead,
// skipping the slow derivation.
#pragma once

#include "verb.h"

#include "bkcheck/file_system.h"
#include "bkcheck/unlock.h"

#include <functional>
#include <map>
#include <optional>

namespace bkcheck::cli {

void add_credential_options(po::options_description& options);

// True when the command line names a password or key source (the environment variable counts too).
bool credentials_given(const po::variables_map& values);

// For verbs that unlock many backups and never prompt (doctor, prune): a function that unlocks a
// backup with the credential the command line names, the keys kept in `unlocked` while the verb
// runs; an empty function when none is named. The --key-file (or, without one, the --password-file)
// is read now, so a mistyped path is one clear error up front instead of a misleading finding about
// every encrypted backup.
using BackupUnlocker = std::function<Result<const ClassKeys*>(const Backup&)>;
using UnlockedBackups = std::map<fs::path, Result<UnlockedKeys>>;
Result<BackupUnlocker> unlocker_for_each_backup(const po::variables_map& values, Context& context,
                                                UnlockedBackups& unlocked);

// Whether a verb unlocks `backup`, decided here for every verb that reads one backup. It does when
// the backup is encrypted, the verb reads what the password protects (an iOS 10+ index always;
// blobs when `reads_blobs`), --no-password was not given, and a password can be had: named (a file,
// the environment, a key file, the command line) or asked for on a terminal. Then the result is
// the unlocking function: the password is obtained now (prompting if need be), the slow
// derivation runs when the function is called, so a caller can run it on another thread; nullopt
// when the verb goes on without the keys (and says what it could not check); when `required` (the
// verb can do nothing without them: extract, export, unlock) and no password can be had, the usage
// error saying how to give one.
struct KeyNeed {
    bool reads_blobs = false;
    bool required = false;
};
Result<std::optional<std::function<Result<UnlockedKeys>()>>> unlock_if_needed(
    const po::variables_map& values, const Backup& backup, KeyNeed need, Context& context);

// A key file is exactly 64 hex digits and a newline (65 bytes): what save_key_file writes, and the
// only existing file it replaces without --overwrite (when it is this user's).
bool looks_like_key_file(ByteView head, std::uint64_t size);
// How a key file is claimed (write_output_file): mode 0600 from its first byte, in no backup folder
// (a key beside the data undoes the encryption), never through a symlink; an existing file other
// than a key file is replaced only with `overwrite` (--overwrite).
OutputFileOptions key_file_options(bool overwrite);
// Writes the 32-byte passcode key as 64 hex digits to a file claimed as key_file_options says,
// and reads it back.
Status save_key_file(const fs::path& file, const SecretBytes& key, bool overwrite);
Result<SecretBytes> load_key_file(const fs::path& file);

}  // namespace bkcheck::cli
