// The line password crackers read for an encrypted backup (hashcat modes 14700/14800, John the
// Ripper's itunes-backup format), as openwall/john's itunes_backup2john.pl prints it:
//   $itunes_backup$*9*<WPKY hex>*<ITER>*<SALT hex>**                   keybag without DPSL/DPIC
//   $itunes_backup$*10*<WPKY hex>*<ITER>*<SALT hex>*<DPIC>*<DPSL hex>  keybag with both
// The version field names the derivation (one PBKDF2 stage or two), chosen by the tags as
// derive_passcode_key does, never by an iOS version. WPKY is the wrapped key of the first
// passcode-wrapped class record: the cracker unwraps it with each candidate's passcode key and
// checks RFC 3394's integrity value, the same test unlock_keybag makes.
#pragma once

#include "keybag.h"

#include <string>

namespace bkcheck {

// Corrupt, saying what is missing or malformed, when the keybag cannot give a line a cracker would
// accept: no passcode-wrapped class with a 40-byte WPKY, SALT or DPSL not 20 bytes, no ITER, a
// count of 0, or only one of DPSL/DPIC.
Result<std::string> keybag_hash_line(const Keybag& keybag);

}  // namespace bkcheck
