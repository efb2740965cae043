// Unlocking an encrypted backup (format.md §5): the keybag from Manifest.plist, then either the
// password (slow: PBKDF2, 10,000,000 rounds on iOS >= 10.2) or a saved 32-byte passcode key (fast).
#pragma once

#include "bkcheck/backup.h"
#include "bkcheck/keybag.h"

#include <atomic>
#include <string_view>

namespace bkcheck {

// The keybag of Manifest.plist. NotABackup-style Corrupt errors when Manifest.plist is unreadable
// or has no BackupKeyBag.
Result<Keybag> backup_keybag(const Backup& backup);

// Derives the passcode key from the password and unlocks; WrongPassword when it does not unlock,
// Corrupt when the keybag is damaged, Interrupted when `cancel` was set during the derivation.
struct UnlockedKeys {
    SecretBytes passcode_key;  // what --save-key stores, to skip the derivation next time
    ClassKeys class_keys;
};
Result<UnlockedKeys> unlock_with_password(const Backup& backup, std::string_view password,
                                          const std::atomic<bool>* cancel = nullptr);
Result<UnlockedKeys> unlock_with_passcode_key(const Backup& backup, SecretBytes passcode_key);

}  // namespace bkcheck
