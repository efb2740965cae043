// What verify --report records of each index entry (README "Evidence for labs"): the entry as
// recorded, the level its content was verified to, the codes of its findings, and the SHA-256 of
// its blob as stored and, when it was decrypted, of its plaintext after unpadding. Filled by the
// verify pipeline's workers when VerifyOptions::evidence is set; the digests are computed in the
// same pass over the blob as every other check (verify_blobs.cpp), never by reading it again.
// src/report/verify_report.h turns the entries into JSON Lines.
#pragma once

#include "bkcheck/manifest.h"
#include "crypto.h"

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace bkcheck {

struct EvidenceEntry {
    std::string file_id;
    std::string domain;
    std::string path;
    // "file", "directory", "symlink"; "unknown" also for a row that could not be decoded.
    std::string kind;
    std::optional<std::uint64_t> size;           // recorded; none when the row did not decode
    std::optional<std::uint64_t> stored_length;  // the blob's length on disk, when it was found
    // How far the entry was verified (README "What each level proves"): for content, digest,
    // length, present, not_checked or damaged (VerifyCounts::Levels); "record" for an entry with no
    // content to check (a folder, a symlink, a file held only in iCloud) whose record is sound;
    // "damaged" for a record with an error.
    std::string level;
    std::vector<std::string> codes;             // of the findings about this entry, sorted
    std::optional<Sha256Digest> sha256_stored;  // the blob as stored, when read in full
    std::optional<Sha256Digest> sha256_plain;   // the plaintext, when decrypted with valid padding
};

// Collects entries from verify's worker threads.
class EvidenceRecorder {
public:
    void add(EvidenceEntry entry);
    // The entries sorted by domain, path and fileID (workers finish in any order); the recorder is
    // left empty.
    std::vector<EvidenceEntry> take();

private:
    std::mutex m_mutex;
    std::vector<EvidenceEntry> m_entries;
};

}  // namespace bkcheck
