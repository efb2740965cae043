#include "keybag_hash_line.h"

namespace bkcheck {
namespace {

constexpr std::size_t k_wrapped_key_bytes = 40;
constexpr std::size_t k_salt_bytes = 20;

Error damaged(std::string what)
{
    return make_error(ErrorCode::Corrupt, "BackupKeyBag",
                      "no hash line can be made for it: " + std::move(what));
}

}  // namespace

Result<std::string> keybag_hash_line(const Keybag& keybag)
{
    // Crackers test the first passcode-wrapped class key, as itunes_backup2john.pl takes the first
    // WPKY after SALT and ITER; class records without WRAP's passcode bit would never unwrap.
    const KeybagClass* first = nullptr;
    for (const KeybagClass& record : keybag.classes) {
        if (record.wrap && (*record.wrap & 2) != 0 &&
            record.wrapped_key.size() == k_wrapped_key_bytes) {
            first = &record;
            break;
        }
    }
    if (first == nullptr) return damaged("it has no passcode-wrapped class key (WPKY, 40 bytes)");
    if (keybag.salt.size() != k_salt_bytes)
        return damaged("its SALT has " + std::to_string(keybag.salt.size()) + " bytes, not 20");
    if (!keybag.iterations || *keybag.iterations == 0) return damaged("its ITER is missing or 0");
    bool has_dp_salt = !keybag.dp_salt.empty();
    bool has_dp_count = keybag.dp_iterations.has_value();
    std::string line = "$itunes_backup$*" + std::string(has_dp_salt ? "10" : "9") + "*" +
                       to_hex(first->wrapped_key) + "*" + std::to_string(*keybag.iterations) + "*" +
                       to_hex(keybag.salt) + "*";
    if (!has_dp_salt && !has_dp_count) return line + "*";
    if (has_dp_salt != has_dp_count)
        return damaged(has_dp_salt ? "it has DPSL but no DPIC" : "it has DPIC but no DPSL");
    if (keybag.dp_salt.size() != k_salt_bytes)
        return damaged("its DPSL has " + std::to_string(keybag.dp_salt.size()) + " bytes, not 20");
    if (*keybag.dp_iterations == 0) return damaged("its DPIC is 0");
    return line + std::to_string(*keybag.dp_iterations) + "*" + to_hex(keybag.dp_salt);
}

}  // namespace bkcheck
