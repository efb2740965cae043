// Fuzzes parse_keybag and the class-key unwrap that follows it. Invariants: a keybag that parses
// serializes to bytes that parse to the same keybag (serialize is the parser's inverse), and
// unlocking with any key is an answer, never a crash. Derivation is not run: its cost is the
// iteration count, which parse leaves to derive_passcode_key's limits (tested in test_keybag).
#include "bkcheck/keybag.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size > (1 << 16)) return 0;
    auto keybag = bkcheck::parse_keybag(bkcheck::ByteView(data, size));
    if (!keybag) return 0;
    bkcheck::Bytes written = bkcheck::serialize_keybag(*keybag);
    auto again = bkcheck::parse_keybag(written);
    if (!again || bkcheck::serialize_keybag(*again) != written || again->classes.size() != keybag->classes.size()) {
        std::abort();
    }
    bkcheck::SecretBytes key(bkcheck::Bytes(32, 0x5a));
    auto unlocked = bkcheck::unlock_keybag(*keybag, key);
    if (unlocked) {
        std::uint8_t wrapped[44] = {};
        wrapped[0] = 3;  // class 3 (C), little-endian
        (void)bkcheck::unwrap_class_wrapped_key(*unlocked, bkcheck::ByteView(wrapped, sizeof wrapped));
    }
    return 0;
}
