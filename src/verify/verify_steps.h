// The steps of verify_backup, one concern each, shared between verifier.cpp (which orders them)
// and the files that implement them. Private to the library.
#pragma once

#include "bkcheck/backup.h"
#include "bkcheck/findings.h"
#include "bkcheck/manifest.h"
#include "bkcheck/verifier.h"
#include "crypto.h"
#include "evidence.h"
#include "manifest_db.h"
#include "page_aligned_bytes.h"
#include "read_index.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <bitset>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bkcheck::detail {

// verify_plists.cpp: the three plists, completion and identity (format.md §2).
void check_plists(const Backup& backup, FindingSink& sink);
void check_completion(const Backup& backup, FindingSink& sink);
void check_identity(const Backup& backup, FindingSink& sink);
// verify_plists.cpp: a prune or repair run stopped midway that changed this backup
// (change.unfinished).
void check_unfinished_changes(const FileSystem& file_system, const Backup& backup,
                              FindingSink& sink);

// Remedies that depend on the rest of the verify, settled once it ends: a fix repair cannot carry
// out beside another finding (Info.plist without Manifest.plist to rebuild it from; Status.plist
// beside an error no command fixes) is taken back, and the words say why.
void settle_remedies(FindingSink& sink);

// A fileID as its 20 bytes: what verify keeps per blob and per record, so a million of them cost
// 20 MB rather than a string each.
using BlobId = std::array<std::uint8_t, 20>;
// The id of a 40-lowercase-hex fileID; nullopt for anything else.
std::optional<BlobId> parse_blob_id(std::string_view file_id);

// The id's bytes at `at` as a big-endian number (so numbers compare as the bytes do).
template <typename T>
T blob_id_number_at(const BlobId& id, std::size_t at)
{
    T value;
    std::memcpy(&value, id.data() + at, sizeof value);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if constexpr (sizeof value == 8) value = __builtin_bswap64(value);
    if constexpr (sizeof value == 4) value = __builtin_bswap32(value);
#endif
    return value;
}

// Byte order and equality of ids, as integer comparisons: std::array's operators call memcmp,
// which was 5 % of a million-row verify on the reader thread (every row's find) and most of the
// sort of the blob tree.
inline bool blob_id_less(const BlobId& a, const BlobId& b)
{
    std::uint64_t x = blob_id_number_at<std::uint64_t>(a, 0),
                  y = blob_id_number_at<std::uint64_t>(b, 0);
    if (x != y) return x < y;
    x = blob_id_number_at<std::uint64_t>(a, 8), y = blob_id_number_at<std::uint64_t>(b, 8);
    if (x != y) return x < y;
    return blob_id_number_at<std::uint32_t>(a, 16) < blob_id_number_at<std::uint32_t>(b, 16);
}

inline bool blob_id_equal(const BlobId& a, const BlobId& b)
{
    return blob_id_number_at<std::uint64_t>(a, 0) == blob_id_number_at<std::uint64_t>(b, 0) &&
           blob_id_number_at<std::uint64_t>(a, 8) == blob_id_number_at<std::uint64_t>(b, 8) &&
           blob_id_number_at<std::uint32_t>(a, 16) == blob_id_number_at<std::uint32_t>(b, 16);
}

// Whether a record's path leaves its domain ("..", a leading "/", a NUL, a "/" in the domain):
// record.unsafe_path, an error verify reports and export leaves out.
bool leaves_its_domain(std::string_view domain, std::string_view relative_path);
std::string blob_id_hex(const BlobId& id);

struct BlobIdHash {
    std::size_t operator()(const BlobId& id) const;
};

// Asks the CPU to start loading `address` into its cache, for a lookup a little later: tables of a
// million entries miss the cache on every row otherwise, and the row loop waits for each miss.
inline void prefetch_address(const void* address)
{
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(address);
#else
    (void)address;
#endif
}

// verify_tree.cpp: what the blob folders hold, from directory listings made once (so presence
// checks of a million records need no stat each): every blob file's id and folder, sorted by id.
struct BlobTree {
    // The folder a blob sits in: 0-255 the two-hex folder of that value ("3d" = 0x3d); k_flat the
    // backup folder itself (mbdb era).
    static constexpr std::uint16_t k_flat = 256;
    struct Entry {
        BlobId id;
        std::uint16_t folder;
    };
    std::vector<Entry> entries;  // sorted by (id, folder); a stray copy makes two entries
    std::vector<std::uint8_t>
        named;  // per entry: 1 once an index row names its id (set by the reader)
    std::uint64_t blob_bytes = 0;  // total size of the blobs, when scanned with sizes
    // Per entry, when scanned with sizes (--read-data): its inode number from the listing (0 when
    // the OS gave none), the order in which the pipeline reads blobs. Empty otherwise.
    std::vector<std::uint64_t> inodes;
    // fileIDs are SHA-1 values, spread evenly: where the entries starting with each prefix of
    // prefix_bits bits begin (2^prefix_bits + 1 offsets), so find() searches a handful of entries
    // instead of all (a profile of 1M rows had 12 % of the CPU in the full binary search's memcmp).
    // The prefix grows with the tree up to 16 bits: a fixed 65,537-entry table cost a small backup
    // (and every fuzz input) a 256 KB allocation and fill per verify.
    std::vector<std::uint32_t> prefix_start;
    unsigned prefix_bits = 0;

    // Blob folders and blobs that are symlinks (blob.link). Nothing behind them is listed, stat'ed
    // or read: they may lead into another backup, and a repair through them would change it. They
    // are not entries, so never orphans; the records whose content is behind one are counted, not
    // checked.
    struct Link {
        std::string path;    // backup-relative: "00", "3d/3d0d...", or a flat blob's name
        std::string target;  // as shown to the user (shown_link_target), or why it cannot be read
        bool target_read = false;
    };
    std::vector<Link> links;  // in listing order (by path)
    std::bitset<256> linked_folders;
    std::array<std::uint32_t, 256> folder_link{};  // for a linked folder: its index in `links`
    // Linked blobs: (id, index in `links`), sorted; almost always empty.
    std::vector<std::pair<BlobId, std::uint32_t>> linked_blobs;
    // Blob folders this user may not list (access.denied): as behind a link, the records whose
    // content is in one are counted, not checked; never missing, so never dropped by repair.
    std::bitset<256> denied_folders;

    // Fills prefix_start and prefix_bits; call once the entries are sorted.
    void index_prefixes();
    // The entries of one id (empty when no blob has it).
    std::pair<std::size_t, std::size_t> find(const BlobId& id) const;
    // Starts loading what find(id) and its `named` flag will read (prefetch_address).
    void prefetch(const BlobId& id) const;
    // The link (index in `links`) behind which the content of the record with this id would be,
    // when its blob is not in place: its folder (`expected_folder`, 0-255 or k_flat) is a link, or
    // a blob of that id is one. nullopt when neither.
    std::optional<std::size_t> link_for(const BlobId& id, std::uint16_t expected_folder) const;
    static std::string folder_name(std::uint16_t folder);
};

// A symlink's target as it may be shown in a message: control characters, backslashes, invalid
// UTF-8 and Unicode format characters (bidi overrides) as \xNN escapes, at most 200 bytes of it.
std::string shown_link_target(std::string_view target);

// Lists the backup folder; reports unknown top-level entries and non-blob files, and notes (in
// `links`) the blob folders and blobs that are symlinks. With `sizes`, also stats every blob to
// total their bytes (the progress total of --read-data) and keeps their inode numbers.
BlobTree scan_blob_tree(const FileSystem& file_system, const Backup& backup, bool sizes,
                        FindingSink& sink);

// One blob.link finding per link in `tree`, saying how many index records' content is behind it
// (`behind`, one count per link) and so was not checked; `index_read` false: that is not known.
void report_links(const BlobTree& tree, const std::vector<std::uint64_t>& behind, bool index_read,
                  FindingSink& sink);

// verify_records.cpp: the checks of one record on its own (fileID, mode, unsafe path; `duplicate`
// when an earlier row had its fileID), counted into `counts`. Whether its blob must be checked, and
// whether read (read_data and in the sample).
struct BlobJob {
    bool check = false;
    bool encrypted = false;
    bool read_data = false;
    bool deep = false;               // with read_data: decode the content (content_check.h)
    bool full_sqlite_check = false;  // with deep: integrity_check rather than quick_check
    // The record's entries in the BlobTree when the caller already looked them up (the pipeline's
    // reader does, for every row): a second lookup of a million random ids was 5 % of the CPU, in
    // cache misses.
    std::optional<std::pair<std::size_t, std::size_t>> entries;
    BlobId id{};  // the record's fileID, parsed by check_record
};
BlobJob check_record(const Backup& backup, const FileRecord& record, bool duplicate,
                     const VerifyOptions& options, FindingSink& sink, VerifyCounts& counts);
// Whether --read-data-subset's sample holds this fileID: chosen by fileID, so re-runs agree.
bool in_sample(std::string_view file_id, double fraction);

// verify_blobs.cpp: presence, placement, length and (read_data) digest of one record's blob; with
// `keys`, the last block of each blob read is decrypted (in memory, never written anywhere) to
// check its key, padding and plaintext size. One BlobChecker is shared by the worker threads, each
// with its own Buffers. With `seal`, every blob read is also hashed with XXH3-128 into it. `cancel`
// is checked at every chunk read.
class BlobChecker {
public:
    BlobChecker(const FileSystem& file_system, const Backup& backup, const BlobTree& tree,
                const ClassKeys* keys, SealRecorder* seal, const std::atomic<bool>* cancel,
                Progress& progress);
    ~BlobChecker();

    // What one worker reuses from blob to blob, so memory stays bounded and the hot loop allocates
    // nothing per file. `read` only grows, to what the blobs read so far need, between
    // k_min_read_bytes and k_read_buffer_bytes: a structural verify reads none, and a backup of
    // small files should not zero a megabyte per worker per run (that was a quarter of the time of
    // a small backup's verify, and the largest cost of an execution of fuzz_backup_tree).
    static constexpr std::size_t k_min_read_bytes = 1 << 12;
    static constexpr std::size_t k_read_buffer_bytes = 1 << 20;
    struct Buffers {
        PageAlignedBytes read;  // page-aligned: see page_aligned_bytes.h
        Sha1Hasher hasher;
        CbcFinalBlock final_block;
        SealHasher seal_hasher;  // of the seal's kind, set before each blob
        // verify --report only: the evidence digests and the full decryption they need.
        Sha256Hasher stored_sha256;
        Sha256Hasher plain_sha256;
        CbcDecryptor decryptor;
        Bytes plaintext;
        Bytes content_window;  // --deep: the decoders' reads (ContentReader::k_window_bytes)
        Bytes deep_content;    // --deep: a small blob's plaintext, kept by the read pass

        // Room for a blob of `size` bytes in one read, up to the cap.
        void grow_read_buffer(std::uint64_t size)
        {
            std::size_t wanted = static_cast<std::size_t>(
                std::clamp<std::uint64_t>(size, k_min_read_bytes, k_read_buffer_bytes));
            if (read.size() < wanted) read.resize(wanted);
        }
    };

    // Reports the blob's finding, if any, to `sink` (the calling worker's own). With `evidence`
    // (verify --report), also fills its level, stored_length, codes and digests.
    void check(const FileRecord& record, const BlobJob& job, Buffers& buffers, FindingSink& sink,
               EvidenceEntry* evidence = nullptr);
    // Adds the blob counters into `counts`.
    void add_counts(VerifyCounts& counts) const;
    // Per link of the tree: how many records' content was found to be behind it (not checked).
    std::vector<std::uint64_t> records_behind_links() const;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

// Blobs that no index row names (tree.named), reported as orphan.blob in path order.
void report_orphans(const Backup& backup, const BlobTree& tree, FindingSink& sink);

// verify_pipeline.cpp: streams the index into a bounded queue that `jobs` worker threads drain
// (MBFile decode, record checks, blob checks), so memory is bounded by the queue, not the index.
// Marks every named blob in `tree`. Interrupted when options.cancel was set.
Status check_index_and_blobs(const FileSystem& file_system, const Backup& backup,
                             const VerifyOptions& options, const ClassKeys* keys, BlobTree& tree,
                             FindingSink& sink, VerifyCounts& counts, Progress& progress,
                             bool& index_read);

}  // namespace bkcheck::detail
