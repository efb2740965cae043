// The BackupKeyBag of Manifest.plist (format.md §5.1-5.3): a TLV list of header attributes and
// class records, the password-to-passcode-key derivation (PBKDF2, one or two stages decided by the
// DPSL/DPIC tags, never by an iOS version string) and the unwrapping of class keys, which is also
// the only password check the format has.
#pragma once

#include "bytes.h"
#include "crypto.h"
#include "bkcheck/status.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bkcheck {

struct KeybagTag {
    std::string tag;  // four ASCII characters
    Bytes value;
};

struct KeybagClass {
    Bytes uuid;
    std::optional<std::uint32_t> protection_class;  // CLAS & 0xF
    std::optional<std::uint32_t> wrap;              // 2: passcode; 3: passcode + device key
    std::optional<std::uint32_t> key_type;          // KTYP
    Bytes wrapped_key;                              // WPKY, 40 bytes
    Bytes public_key;                               // PBKY
};

struct Keybag {
    std::optional<std::uint32_t> version;  // VERS
    std::optional<std::uint32_t> type;     // TYPE (1 = backup)
    Bytes uuid;
    std::optional<std::uint32_t> wrap;
    Bytes salt;                                  // SALT, for PBKDF2-HMAC-SHA1
    std::optional<std::uint32_t> iterations;     // ITER
    Bytes dp_salt;                               // DPSL, for PBKDF2-HMAC-SHA256 (iOS >= 10.2)
    std::optional<std::uint32_t> dp_iterations;  // DPIC
    std::optional<std::uint32_t> dp_wrap;        // DPWT
    std::vector<KeybagTag> other_header_tags;    // HMCK and anything unknown, kept in order
    std::vector<KeybagClass> classes;
    std::vector<KeybagTag> other_class_tags;  // unknown tags inside class records
};

// Parses the TLV. Corrupt (with the byte offset) when a length runs past the end or a 4-byte
// integer tag has another length; unknown tags are kept.
Result<Keybag> parse_keybag(ByteView bytes);
// The inverse of parse_keybag for the tags it types (unknown tags are written back too).
Bytes serialize_keybag(const Keybag& keybag);

// Limits beyond which derivation is refused before any time is spent (Unsupported): Apple uses
// ITER 10,000 and DPIC 10,000,000; ten times those are already hours on slow machines.
inline constexpr std::uint32_t k_max_iterations = 10'000'000;
inline constexpr std::uint32_t k_max_dp_iterations = 100'000'000;

// password -> 32-byte passcode key: PBKDF2-HMAC-SHA256(password, DPSL, DPIC) first when both tags
// are present, then PBKDF2-HMAC-SHA1(·, SALT, ITER). Corrupt, saying what is wrong, when SALT or
// ITER is missing, an iteration count is 0, or only one of DPSL/DPIC is there: a damaged keybag,
// never blamed on the password. Interrupted when `cancel` is set during the derivation (checked
// every few thousand rounds of either stage).
Result<SecretBytes> derive_passcode_key(const Keybag& keybag, std::string_view password,
                                        const std::atomic<bool>* cancel = nullptr);

struct ClassKeys {
    std::map<std::uint32_t, SecretBytes> keys;  // protection class -> 32-byte key
    std::vector<std::uint32_t> device_only;  // classes wrapped with the device key: not recoverable
};

// Unwraps every passcode-wrapped class key. WrongPassword ("the password does not unlock this
// backup") when the first one fails its integrity check; Corrupt when a later one fails after an
// earlier succeeded (the keybag itself is damaged).
Result<ClassKeys> unlock_keybag(const Keybag& keybag, const SecretBytes& passcode_key);

// A 44-byte EncryptionKey or ManifestKey: u32 little-endian protection class, then a 40-byte
// wrapped key. Corrupt, in words, when the class is unknown/unavailable or the unwrap fails.
Result<SecretBytes> unwrap_class_wrapped_key(const ClassKeys& keys, ByteView wrapped_with_class);

}  // namespace bkcheck
