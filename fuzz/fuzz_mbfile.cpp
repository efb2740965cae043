// Fuzzes decode_mbfile (NSKeyedArchiver MBFile). Invariant: whatever decodes, with text that is
// valid UTF-8 (as every real archive's is), re-encodes to an archive that decodes to the same
// attributes.
#include "bytes.h"
#include "mbfile.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size > (1 << 16)) return 0;
    bkcheck::FileRecord record;
    if (!bkcheck::decode_mbfile(bkcheck::ByteView(data, size), record)) return 0;
    if (!bkcheck::is_valid_utf8(record.target)) return 0;
    for (const auto& [name, value] : record.extended_attributes) {
        if (!bkcheck::is_valid_utf8(name)) return 0;
    }
    bkcheck::FileRecord again;
    if (!bkcheck::decode_mbfile(bkcheck::encode_mbfile(record), again)) std::abort();
    if (again.mode != record.mode || again.size != record.size || again.digest != record.digest ||
        again.encryption_key != record.encryption_key ||
        again.protection_class != record.protection_class) {
        std::abort();
    }
    return 0;
}
