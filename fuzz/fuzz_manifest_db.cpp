// Fuzzes the Manifest.db reader through the in-memory path (the one decrypted indexes take): any
// bytes must give an index or a clean error, never a crash or a hang.
#include "bkcheck/manifest_db.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size > (1 << 20)) return 0;
    auto index = bkcheck::read_manifest_db_image(bkcheck::Bytes(data, data + size), "fuzz");
    (void)index;
    return 0;
}
