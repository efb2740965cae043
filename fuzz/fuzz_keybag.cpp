// Fuzzes parse_keybag and the unlock that follows it. Invariants: a keybag that parses serializes
// to bytes that parse to the same keybag (serialize is the parser's inverse); unlocking with any
// key is an answer, never a crash; and when the iteration counts are tiny (as in the seeds: ITER
// 10, DPIC 100/1000) the whole password path runs too, derivation included, and may only answer
// "wrong password", "corrupt" or keys for at most the classes the keybag has. Larger counts are
// left to derive_passcode_key's limits (tested in test_keybag): a fuzzer must not spend seconds per
// input.
#include "keybag.h"

#include <cstdint>
#include <cstdlib>

namespace {

// The seeds' passwords: generated-ios17/ios9 use the testdata one, the format.md §5.8 vector
// "test".
constexpr const char* k_passwords[] = {"bkcheck-demo", "test"};
constexpr std::uint32_t k_max_fuzz_iterations = 64;
constexpr std::uint32_t k_max_fuzz_dp_iterations = 2048;

void unwrap_one(const bkcheck::ClassKeys& keys)
{
    std::uint8_t wrapped[44] = {};
    wrapped[0] = 3;  // class 3 (C), little-endian
    (void)bkcheck::unwrap_class_wrapped_key(keys, bkcheck::ByteView(wrapped, sizeof wrapped));
}

void unlock_with_passwords(const bkcheck::Keybag& keybag)
{
    if (keybag.iterations.value_or(0) > k_max_fuzz_iterations ||
        keybag.dp_iterations.value_or(0) > k_max_fuzz_dp_iterations) {
        return;
    }
    for (const char* password : k_passwords) {
        auto passcode_key = bkcheck::derive_passcode_key(keybag, password);
        if (!passcode_key) {
            if (passcode_key.error().code != bkcheck::ErrorCode::Corrupt) std::abort();
            return;  // a damaged keybag (no SALT/ITER, a count of 0, DPSL without DPIC): the same
                     // for every password
        }
        auto unlocked = bkcheck::unlock_keybag(keybag, *passcode_key);
        if (!unlocked) {
            auto code = unlocked.error().code;
            if (code != bkcheck::ErrorCode::WrongPassword && code != bkcheck::ErrorCode::Corrupt)
                std::abort();
            continue;
        }
        if (unlocked->keys.size() + unlocked->device_only.size() > keybag.classes.size())
            std::abort();
        unwrap_one(*unlocked);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size > (1 << 16)) return 0;
    auto keybag = bkcheck::parse_keybag(bkcheck::ByteView(data, size));
    if (!keybag) return 0;
    bkcheck::Bytes written = bkcheck::serialize_keybag(*keybag);
    auto again = bkcheck::parse_keybag(written);
    if (!again || bkcheck::serialize_keybag(*again) != written ||
        again->classes.size() != keybag->classes.size()) {
        std::abort();
    }
    bkcheck::SecretBytes key(bkcheck::Bytes(32, 0x5a));
    auto unlocked = bkcheck::unlock_keybag(*keybag, key);
    if (unlocked) unwrap_one(*unlocked);
    unlock_with_passwords(*keybag);
    return 0;
}
