// The fast path of decode_mbfile (mbfile.h): reads an MBFile archive in place, from the binary
// plist's trailer, offset table and object bytes, with no node tree and no heap allocation but the
// record's own fields. It handles the archives that Apple, libplist and encode_mbfile write; for
// anything else it declines, and decode_mbfile hands the bytes to the libplist decoder, which stays
// the reference: what it refuses (and with which words) is the refusal. The fuzz target
// fuzz_mbfile_reader checks that whatever this reader decodes, the libplist decoder decodes to the
// same fields.
#pragma once

#include "bytes.h"
#include "bkcheck/manifest.h"

namespace bkcheck {

// True when the archive was decoded into `record` (the attributes decode_mbfile fills); false when
// this reader declines it, leaving `record` untouched. It declines every archive the libplist
// decoder would refuse, and also, to stay simple and exact, archives that are sound but unusual:
// not "bplist00", larger than k_plist_max_bytes, more than k_fast_mbfile_max_objects objects, more
// than k_fast_mbfile_max_references references, any object it cannot read (reachable from the root
// or not), an array or dictionary referenced twice (or the root referenced at all), offsets,
// references, lengths or UIDs of another width than 1, 2, 4 or 8 bytes, an object at an offset
// inside the 8-byte header, a real, date, set, null or 16-byte integer anywhere, a key spelt
// in UTF-16 in a dictionary it reads, a repeated key it reads, a UTF-16 Target with surrogates, or
// non-empty ExtendedAttributes (a plist inside the data, left to the reference decoder).
bool read_mbfile_fast(ByteView archive, FileRecord& record);

// Bounds of the fast path (the reference decoder has its own, far larger, in plist.h). Real MBFile
// archives hold a few dozen objects, 4 levels deep. The references of all containers together: few
// enough that no tree of k_fast_mbfile_max_objects levels made of them exceeds PlistDocument's
// bound on values times levels.
inline constexpr std::size_t k_fast_mbfile_max_objects = 256;
inline constexpr std::uint64_t k_fast_mbfile_max_references = 60'000;

}  // namespace bkcheck
