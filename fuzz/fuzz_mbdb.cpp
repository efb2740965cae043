// Fuzzes parse_mbdb. Invariant: when a parse reports no problem, serializing its records and parsing
// again gives the same records (the writer is the parser's inverse).
#include "bkcheck/mbdb.h"

#include <cassert>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size > (1 << 20)) return 0;
    auto index = bkcheck::parse_mbdb(bkcheck::ByteView(data, size), "fuzz");
    if (!index || !index->index_problems.empty()) return 0;
    auto again = bkcheck::parse_mbdb(bkcheck::serialize_mbdb(index->records), "fuzz");
    if (!again || again->records.size() != index->records.size()) std::abort();
    for (std::size_t i = 0; i < index->records.size(); ++i) {
        const auto& a = index->records[i];
        const auto& b = again->records[i];
        if (a.file_id != b.file_id || a.size != b.size || a.mode != b.mode || a.target != b.target ||
            a.digest != b.digest || a.encryption_key != b.encryption_key) {
            std::abort();
        }
    }
    return 0;
}
