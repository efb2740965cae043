// Unlocking an encrypted backup (format.md §5): the keybag from Manifest.plist, then either the
// password (slow: PBKDF2, 10,000,000 rounds on iOS >= 10.2) or a saved 32-byte passcode key (fast).
#pragma once

#include "bkcheck/backup.h"

#include <atomic>
#include <cstddef>
#include <memory>
#include <string_view>

namespace bkcheck {

// What unlocking gives: the keys every verb that reads an encrypted backup takes. The class keys
// stay opaque here (ClassKeys is the keybag parser's own type); pass `class_keys.get()` on.
struct UnlockedKeys {
    SecretBytes passcode_key;  // what --save-key stores, to skip the derivation next time
    std::shared_ptr<const ClassKeys> class_keys;  // never null in a successful result
    std::size_t class_key_count = 0;              // protection classes the password unlocked
};

// Derives the passcode key from the password and unlocks; WrongPassword when it does not unlock,
// Corrupt when the keybag is damaged (or Manifest.plist unreadable or without a BackupKeyBag),
// Interrupted when `cancel` was set during the derivation.
Result<UnlockedKeys> unlock_with_password(const Backup& backup, std::string_view password,
                                          const std::atomic<bool>* cancel = nullptr);
Result<UnlockedKeys> unlock_with_passcode_key(const Backup& backup, SecretBytes passcode_key);

}  // namespace bkcheck
