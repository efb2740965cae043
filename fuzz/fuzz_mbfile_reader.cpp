// Differential fuzzing of the in-place MBFile reader (read_mbfile_fast) against the libplist
// decoder (decode_mbfile_with_libplist). Invariants: whatever the fast reader decodes, the libplist
// decoder decodes too, to the same value of every FileRecord field; whatever it declines it leaves
// untouched. So decode_mbfile (fast, else libplist) gives the libplist decoder's answer, or both
// refuse.
#include "mbfile.h"
#include "mbfile_reader.h"
#include "same_record.h"

#include <cstdint>
#include <cstdlib>

namespace {

// A record whose every attribute differs from a fresh one's, so a field either reader forgets to
// write (or writes when it should not) shows.
bkcheck::FileRecord sentinel()
{
    bkcheck::FileRecord record;
    record.mode = 07;
    record.inode = 11;
    record.user_id = 13;
    record.group_id = 17;
    record.modified = -19;
    record.status_changed = -23;
    record.born = -29;
    record.size = 31;
    record.protection_class = 37;
    record.bsd_flags = 41;
    record.digest = {1, 2};
    record.encryption_key = {3};
    record.target = "sentinel";
    record.extended_attributes.emplace_back("sentinel", bkcheck::Bytes{4});
    return record;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size > (1 << 16)) return 0;
    const bkcheck::ByteView archive(data, size);
    bkcheck::FileRecord fast = sentinel();
    bkcheck::FileRecord reference = sentinel();
    const bool fast_decoded = bkcheck::read_mbfile_fast(archive, fast);
    const bool reference_decoded =
        bkcheck::decode_mbfile_with_libplist(archive, reference).has_value();
    if (fast_decoded) {
        if (!reference_decoded) std::abort();  // the fast reader accepted what libplist refuses
        if (bkcheck::fuzz::fields_of(fast) != bkcheck::fuzz::fields_of(reference)) std::abort();
    } else if (bkcheck::fuzz::fields_of(fast) != bkcheck::fuzz::fields_of(sentinel())) {
        std::abort();  // declined, yet wrote into the record
    }
    return 0;
}
