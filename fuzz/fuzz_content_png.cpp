// Fuzzes verify --deep's check_png (chunk lengths and CRCs to IEND) on any bytes, read through the
// same bounded reader as a blob's plaintext. Invariants: an outcome is sound, unchecked or one
// finding, never two at once, and a finding always says what is wrong.
#include "content_check.h"
#include "file_system_vfs.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size > (1 << 20)) return 0;
    auto source = bkcheck::detail::memory_source(bkcheck::Bytes(data, data + size));
    bkcheck::Bytes window;
    bkcheck::detail::ContentReader reader(*source, window);
    bkcheck::detail::ContentOutcome outcome = bkcheck::detail::check_png(reader);
    if (outcome.decoded && !outcome.code.empty()) std::abort();
    if (!outcome.code.empty() && outcome.message.empty()) std::abort();
    return 0;
}
