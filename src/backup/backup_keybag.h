// The keybag of a backup, for the unlocking code and for tools that look at the keybag itself
// (the unlock benchmark; the CLI, to name why a Manifest.plist it may not read stops it).
#pragma once

#include "bkcheck/backup.h"
#include "keybag.h"

namespace bkcheck {

// The keybag of Manifest.plist. NotABackup-style Corrupt errors when Manifest.plist is unreadable
// or has no BackupKeyBag.
Result<Keybag> backup_keybag(const Backup& backup);

}  // namespace bkcheck
