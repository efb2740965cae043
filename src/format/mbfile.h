// The `file` column of Manifest.db: a binary-plist NSKeyedArchiver archive of an MBFile (format.md
// §3.4). Decoding follows UIDs from $top.root, never fixed $objects indexes, and bounds-checks
// every UID.
#pragma once

#include "bytes.h"
#include "bkcheck/status.h"
#include "bkcheck/manifest.h"

namespace bkcheck {

// Fills the MBFile attributes of `record` (mode, inode, ids, times, size, protection class, Flags,
// digest, encryption key, target, xattrs). file_id/domain/relative_path/flags are left untouched
// (they come from the table columns). Corrupt with a plain-words reason on any malformed archive.
// Reads the archive in place (read_mbfile_fast, mbfile_reader.h) and hands what that reader
// declines, every malformed archive among them, to decode_mbfile_with_libplist: one result, two
// speeds.
Status decode_mbfile(ByteView archive, FileRecord& record);

// The reference decoder: libplist builds the archive's tree (within PlistDocument's bounds) and
// the attributes are looked up in it. What it refuses, and its words, are decode_mbfile's.
Status decode_mbfile_with_libplist(ByteView archive, FileRecord& record);

// Encodes the record's attributes as Apple does (§3.5): every integer key written, optional objects
// only when present, $class last. decode_mbfile(encode_mbfile(r)) gives back r's attributes.
Bytes encode_mbfile(const FileRecord& record);

}  // namespace bkcheck
