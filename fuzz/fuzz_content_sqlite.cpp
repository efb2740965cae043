// Fuzzes verify --deep's check_sqlite (PRAGMA quick_check through the FileSystemVfs over a memory
// source) on any bytes, served as a blob's plaintext is. Invariants: an outcome is sound, unchecked
// or one finding, never two at once, and a finding always says what is wrong.
#include "content_check.h"
#include "file_system_vfs.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size > (1 << 16)) return 0;  // pages beyond these add time, not coverage
    auto source = bkcheck::detail::memory_source(bkcheck::Bytes(data, data + size));
    bkcheck::detail::ContentOutcome outcome =
        bkcheck::detail::check_sqlite(*source, nullptr, false);
    if (outcome.decoded && !outcome.code.empty()) std::abort();
    if (!outcome.code.empty() && outcome.message.empty()) std::abort();
    return 0;
}
