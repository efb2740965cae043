// The keybag of a backup, for the unlocking code and for tools that look at the keybag itself
// (the unlock benchmark; the CLI, to name why a Manifest.plist it may not read stops it).
#pragma once

#include "bkcheck/backup.h"
#include "keybag.h"

namespace bkcheck {

// The keybag of Manifest.plist. NotABackup-style Corrupt errors when Manifest.plist is unreadable
// or has no BackupKeyBag.
Result<Keybag> backup_keybag(const Backup& backup);

// The keybag as the line hashcat (modes 14700/14800) and John the Ripper read
// (keybag_hash_line.h), for a forgotten password: no password is needed and only Manifest.plist is
// read. Unsupported when the backup is not encrypted (there is no password to find); the errors of
// backup_keybag and keybag_hash_line otherwise.
Result<std::string> backup_hash_line(const Backup& backup);

}  // namespace bkcheck
