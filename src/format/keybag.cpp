#include "keybag.h"
#include "crypto.h"

#include "byte_reader.h"
#include "pbkdf2.h"

#include <openssl/evp.h>

namespace bkcheck {
namespace {

constexpr std::size_t k_key_bytes = 32;
constexpr std::uint32_t k_wrap_passcode = 2;

bool is_integer_tag(const std::string& tag)
{
    for (const char* name : {"VERS", "TYPE", "WRAP", "ITER", "DPIC", "DPWT", "CLAS", "KTYP"}) {
        if (tag == name) return true;
    }
    return false;
}

std::uint32_t be32(ByteView value)
{
    return static_cast<std::uint32_t>(value[0]) << 24 | static_cast<std::uint32_t>(value[1]) << 16 |
           static_cast<std::uint32_t>(value[2]) << 8 | value[3];
}

void assign_header(Keybag& keybag, const std::string& tag, ByteView value)
{
    std::optional<std::uint32_t> number;
    if (is_integer_tag(tag)) number = be32(value);
    if (tag == "VERS")
        keybag.version = number;
    else if (tag == "TYPE")
        keybag.type = number;
    else if (tag == "UUID")
        keybag.uuid.assign(value.begin(), value.end());
    else if (tag == "WRAP")
        keybag.wrap = number;
    else if (tag == "SALT")
        keybag.salt.assign(value.begin(), value.end());
    else if (tag == "ITER")
        keybag.iterations = number;
    else if (tag == "DPSL")
        keybag.dp_salt.assign(value.begin(), value.end());
    else if (tag == "DPIC")
        keybag.dp_iterations = number;
    else if (tag == "DPWT")
        keybag.dp_wrap = number;
    else
        keybag.other_header_tags.push_back({tag, Bytes(value.begin(), value.end())});
}

void assign_class(Keybag& keybag, KeybagClass& record, const std::string& tag, ByteView value)
{
    std::optional<std::uint32_t> number;
    if (is_integer_tag(tag)) number = be32(value);
    if (tag == "CLAS")
        record.protection_class = *number & 0xF;
    else if (tag == "WRAP")
        record.wrap = number;
    else if (tag == "KTYP")
        record.key_type = number;
    else if (tag == "WPKY")
        record.wrapped_key.assign(value.begin(), value.end());
    else if (tag == "PBKY")
        record.public_key.assign(value.begin(), value.end());
    else
        keybag.other_class_tags.push_back({tag, Bytes(value.begin(), value.end())});
}

void put_tag(Bytes& out, const std::string& tag, ByteView value)
{
    out.insert(out.end(), tag.begin(), tag.end());
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(value.size() >> shift));
    out.insert(out.end(), value.begin(), value.end());
}

void put_number(Bytes& out, const char* tag, std::optional<std::uint32_t> value)
{
    if (!value) return;
    std::uint8_t bytes[4] = {
        static_cast<std::uint8_t>(*value >> 24), static_cast<std::uint8_t>(*value >> 16),
        static_cast<std::uint8_t>(*value >> 8), static_cast<std::uint8_t>(*value)};
    put_tag(out, tag, bytes);
}

void put_bytes(Bytes& out, const char* tag, const Bytes& value, bool always = false)
{
    if (always || !value.empty()) put_tag(out, tag, value);
}

Error keybag_corrupt(std::string message)
{
    return make_error(ErrorCode::Corrupt, "Manifest.plist BackupKeyBag", std::move(message));
}

}  // namespace

Result<Keybag> parse_keybag(ByteView bytes)
{
    Keybag keybag;
    detail::ByteReader reader(bytes);
    int uuid_count = 0;
    while (!reader.at_end()) {
        std::size_t offset = reader.offset();
        auto tag_bytes = reader.bytes(4);
        auto length = tag_bytes ? reader.u32() : std::nullopt;
        auto value = length ? reader.bytes(*length) : std::nullopt;
        if (!value) {
            return keybag_corrupt("the entry at byte " + std::to_string(offset) +
                                  " runs past the end (" + std::to_string(bytes.size()) +
                                  " bytes)");
        }
        std::string tag(tag_bytes->begin(), tag_bytes->end());
        if (is_integer_tag(tag) && value->size() != 4) {
            return keybag_corrupt(tag + " at byte " + std::to_string(offset) + " is " +
                                  std::to_string(value->size()) + " bytes, not a 4-byte integer");
        }
        // The first UUID is the keybag's; each later one opens a class record (§5.1).
        if (tag == "UUID" && ++uuid_count > 1) {
            keybag.classes.push_back({});
            keybag.classes.back().uuid.assign(value->begin(), value->end());
            continue;
        }
        if (keybag.classes.empty()) {
            assign_header(keybag, tag, *value);
        } else {
            assign_class(keybag, keybag.classes.back(), tag, *value);
        }
    }
    return keybag;
}

Bytes serialize_keybag(const Keybag& keybag)
{
    Bytes out;
    put_number(out, "VERS", keybag.version);
    put_number(out, "TYPE", keybag.type);
    put_bytes(out, "UUID", keybag.uuid, true);
    for (const KeybagTag& tag : keybag.other_header_tags) put_tag(out, tag.tag, tag.value);
    put_number(out, "WRAP", keybag.wrap);
    put_bytes(out, "SALT", keybag.salt);
    put_number(out, "ITER", keybag.iterations);
    put_number(out, "DPWT", keybag.dp_wrap);
    put_number(out, "DPIC", keybag.dp_iterations);
    put_bytes(out, "DPSL", keybag.dp_salt);
    for (const KeybagClass& record : keybag.classes) {
        put_bytes(out, "UUID", record.uuid, true);
        put_number(out, "CLAS", record.protection_class);
        put_number(out, "WRAP", record.wrap);
        put_number(out, "KTYP", record.key_type);
        put_bytes(out, "WPKY", record.wrapped_key);
        put_bytes(out, "PBKY", record.public_key);
    }
    // Unknown class tags lose their record; they are rare enough that keeping them together matters
    // less.
    if (!keybag.classes.empty()) {
        for (const KeybagTag& tag : keybag.other_class_tags) put_tag(out, tag.tag, tag.value);
    }
    return out;
}

Result<SecretBytes> derive_passcode_key(const Keybag& keybag, std::string_view password,
                                        const std::atomic<bool>* cancel)
{
    // Each of these is a damaged keybag: said as such (exit 1), since no password could unlock it
    // and blaming the password (exit 4) would send the user looking for another one.
    if (keybag.salt.empty() || !keybag.iterations) {
        return keybag_corrupt(std::string("the keybag has no ") +
                              (keybag.salt.empty() ? "SALT" : "ITER") +
                              ": it cannot be unlocked with a password");
    }
    if (*keybag.iterations == 0) {
        return keybag_corrupt(
            "the keybag's iteration count ITER is 0 (Apple uses 10,000): the keybag is damaged");
    }
    if (keybag.dp_iterations && *keybag.dp_iterations == 0) {
        return keybag_corrupt(
            "the keybag's iteration count DPIC is 0 (Apple uses 10,000,000): the keybag is "
            "damaged");
    }
    if (keybag.dp_salt.empty() != !keybag.dp_iterations) {
        return keybag_corrupt(std::string("the keybag has ") +
                              (keybag.dp_salt.empty() ? "DPIC but no DPSL" : "DPSL but no DPIC") +
                              " (iOS 10.2 and later keybags have both): the keybag is damaged");
    }
    if (*keybag.iterations > k_max_iterations ||
        (keybag.dp_iterations && *keybag.dp_iterations > k_max_dp_iterations)) {
        return make_error(ErrorCode::Unsupported, "Manifest.plist BackupKeyBag",
                          "the keybag asks for an absurd number of key-derivation rounds (ITER " +
                              std::to_string(keybag.iterations.value_or(0)) + ", DPIC " +
                              std::to_string(keybag.dp_iterations.value_or(0)) +
                              "): refusing to spend hours on it");
    }
    SecretBytes input(as_bytes(password));
    // Two stages when the keybag has DPSL and DPIC (iOS 10.2 and later, including exactly 10.2).
    if (keybag.dp_iterations) {
        auto first = pbkdf2_hmac_sha256(input.view(), keybag.dp_salt, *keybag.dp_iterations,
                                        k_key_bytes, cancel);
        if (!first) return std::move(first).error();
        input = std::move(*first);
    }
    return pbkdf2_hmac_sha1(input.view(), keybag.salt, *keybag.iterations, k_key_bytes, cancel);
}

Result<ClassKeys> unlock_keybag(const Keybag& keybag, const SecretBytes& passcode_key)
{
    ClassKeys keys;
    bool any_unwrapped = false;
    for (const KeybagClass& record : keybag.classes) {
        if (record.wrapped_key.empty() || !record.protection_class || !record.wrap) continue;
        if ((*record.wrap & k_wrap_passcode) == 0) continue;
        if (*record.wrap != k_wrap_passcode) {
            // Also wrapped with the device's hardware key: cannot be opened off the device (§5.3).
            keys.device_only.push_back(*record.protection_class);
            continue;
        }
        auto key = aes_key_unwrap(passcode_key.view(), record.wrapped_key);
        if (!key) {
            if (!any_unwrapped) {
                return make_error(ErrorCode::WrongPassword, "",
                                  "the password does not unlock this backup");
            }
            return keybag_corrupt("the key of protection class " +
                                  std::to_string(*record.protection_class) +
                                  " does not unwrap although others did: the keybag is damaged");
        }
        any_unwrapped = true;
        keys.keys[*record.protection_class] = std::move(*key);
    }
    if (!any_unwrapped)
        return keybag_corrupt("the keybag holds no class key wrapped with the password");
    return keys;
}

Result<SecretBytes> unwrap_class_wrapped_key(const ClassKeys& keys, ByteView wrapped_with_class)
{
    if (wrapped_with_class.size() != 44) {
        return make_error(
            ErrorCode::Corrupt, "",
            "the wrapped key is " + std::to_string(wrapped_with_class.size()) + " bytes, not 44");
    }
    std::uint32_t protection_class = wrapped_with_class[0] | wrapped_with_class[1] << 8 |
                                     wrapped_with_class[2] << 16 |
                                     static_cast<std::uint32_t>(wrapped_with_class[3]) << 24;
    auto it = keys.keys.find(protection_class);
    if (it == keys.keys.end()) {
        return make_error(ErrorCode::Corrupt, "",
                          "the key belongs to protection class " +
                              std::to_string(protection_class) + ", which the keybag cannot open");
    }
    auto key = aes_key_unwrap(it->second.view(), wrapped_with_class.subspan(4));
    if (!key) {
        return make_error(ErrorCode::Corrupt, "",
                          "the key does not unwrap with the class " +
                              std::to_string(protection_class) + " key of this keybag");
    }
    return std::move(*key);
}

}  // namespace bkcheck
