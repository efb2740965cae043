// Streams one record's blob as plaintext through fixed-size reused buffers (extract and export): a
// 4 GB video needs 1 MB of memory. Damage is told with verify's own finding codes (blob.*).
// Private to the library.
#pragma once

#include "bkcheck/backup.h"
#include "bkcheck/findings.h"
#include "bkcheck/manifest.h"
#include "bkcheck/status.h"
#include "crypto.h"
#include "keybag.h"
#include "page_aligned_bytes.h"

#include <atomic>
#include <functional>

namespace bkcheck::detail {

struct PlaintextBuffers {
    PageAlignedBytes read = PageAlignedBytes(1 << 20);  // page-aligned: page_aligned_bytes.h
    Bytes plaintext;
    Sha1Hasher stored_hasher;
    Sha1Hasher plaintext_hasher;
    CbcDecryptor decryptor;
};

struct PlaintextOutcome {
    bool written =
        false;  // some bytes went to `write` (false: missing blob, key cannot be unwrapped)
    bool damaged = false;  // a blob.* error was reported: what was written is not the file
    bool denied =
        false;  // this user may not read the blob (access.denied): not damage, nothing written
    bool stale_size =
        false;  // decrypts correctly to another length than recorded (blob.size_changed)
    std::uint64_t plaintext_size = 0;
    Sha1Digest plaintext_sha1{};
};

// An error only when the run must stop: `write` failed, or `cancel` was set (Interrupted).
Result<PlaintextOutcome> stream_plaintext(const FileSystem& file_system, const Backup& backup,
                                          const FileRecord& record, const ClassKeys* keys,
                                          PlaintextBuffers& buffers,
                                          const std::function<Status(ByteView)>& write,
                                          const std::atomic<bool>* cancel, FindingSink& sink,
                                          Progress& progress);

// Apple's decoder treats SF_DATALESS (iCloud-evicted) files as having no content (§3.4).
inline bool is_dataless(const FileRecord& record)
{
    return (record.bsd_flags & 0x40000000u) != 0;
}

}  // namespace bkcheck::detail
