// Fuzzes parse_mbdb. Invariant: when a parse reports no problem, serializing its records and
// parsing again gives identical records, every field (the writer is the parser's inverse) and no
// problem.
#include "mbdb.h"
#include "same_record.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size > (1 << 20)) return 0;
    auto index = bkcheck::parse_mbdb(bkcheck::ByteView(data, size), "fuzz");
    if (!index || !index->index_problems.empty()) return 0;
    auto again = bkcheck::parse_mbdb(bkcheck::serialize_mbdb(index->records), "fuzz");
    if (!again || !again->index_problems.empty() ||
        !bkcheck::fuzz::same_records(again->records, index->records)) {
        std::abort();
    }
    return 0;
}
