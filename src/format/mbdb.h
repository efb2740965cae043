// Manifest.mbdb, the index of iOS 5-9 backups (format.md §4): a 6-byte header "mbdb\x05\x00" and
// big-endian records until end of file. Parsed with a bounds-checked reader from bytes, never a
// path.
#pragma once

#include "bytes.h"
#include "bkcheck/status.h"
#include "bkcheck/manifest.h"

namespace bkcheck {

// Parses every record. Returns Corrupt only when the header is wrong; a record that runs past the
// end (or trailing bytes) stops parsing and is reported in index_problems with its byte offset,
// keeping the records read before it. fileIDs are computed (§1.4). `path` names the file in
// messages.
Result<ManifestIndex> parse_mbdb(ByteView bytes, std::string_view path);

// Serialises records in the iOS 5-9 layout (no trailing flags field, §4). Inverse of parse_mbdb.
Bytes serialize_mbdb(const std::vector<FileRecord>& records);

// The same one record at a time (export writes the index as it goes): the 6-byte header, then each
// record appended after it.
Bytes mbdb_header();
void append_mbdb_record(const FileRecord& record, Bytes& out);

}  // namespace bkcheck
