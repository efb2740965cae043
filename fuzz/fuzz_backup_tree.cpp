// Fuzzes the whole verify (open_backup + verify_backup) over a backup tree built in memory, so the
// plists, the index, the folder scan and the blob checks meet hostile input together, as they do on
// a user's disk. Structure-aware: the input names entries from a fixed list instead of spelling
// paths, and a blob can be named "the blob of record k of this tree's Manifest.mbdb", so mutations
// of the index keep reaching the blob checks instead of only making orphans.
//
// Input (integers little-endian; a last record cut short takes what is left):
//   flags:u8  record*
//   record := tag:u8  length:u16  payload[length]
// flags: bit 0 read_data (read every blob, check its SHA-1); bit 1 read_fraction 0.5; bit 2 short
//        reads (61 bytes per SequentialReader::read).
// tag & 7, the entry the payload becomes (bit 0x10 varies it, as noted):
//   0 Info.plist  1 Status.plist  2 Manifest.plist  3 Manifest.mbdb   bit 0x10: a folder by that
//   name (3 with bit 0x80: see below) 4 Snapshot/x (a file left by an unfinished session) bit 0x10:
//   Snapshot/ empty 5 the blob of record payload[0] (mod the record count) of Manifest.mbdb; rest
//   is its content 6 a blob named by the hex of payload[0..20); rest is its content
//     (5 and 6) bit 0x10: in the two-hex folder Manifest.db backups use, i.e. misplaced here
//   7 a stray entry at the relative path in payload (at most 4 parts)  bit 0x10: a folder
// tag bit 0x40: reads of the entry fail with Io (stat still works). Later entries replace earlier
// files of the same path; an entry whose path is taken by a folder (or vice versa) is dropped.
// tag bit 0x20, links into a sibling backup (blob.link; 0-4 ignore it): 5 and 6 put the blob in the
// sibling and a symlink to it at its path here; 7 makes the stray entry a symlink to the same path
// in the sibling (dangling unless a blob put it there), e.g. a linked blob folder "00". Not for the
// top-level names verify reads (Info.plist, ...): the bit is ignored there.
//
// tag bit 0x80 on tag 3: the payload is Manifest.db instead (with bit 0x10: Manifest.db-wal), read
// through the FileSystem seam like every other file (SQLite reads it through a VFS over it), and
// tag 5's records are then those of Manifest.db (with its -wal) when it can be read.
//
// Invariants besides no crash (abort() otherwise): verify errors only for an iOS <= 4 layout
// (Unsupported), never otherwise; an "ok" verdict has no error finding; blobs read <= blobs
// checked; a second verify of the same tree gives the same verdict, counts and finding counts; and
// nothing in the sibling backup is read (verify never reads through a blob link).
#include "bytes.h"
#include "memory_file_system.h"

#include "bkcheck/backup.h"
#include "bkcheck/status.h"
#include "bkcheck/verifier.h"
#include "manifest_db.h"
#include "mbdb.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace {

using bkcheck::Bytes;
using bkcheck::ByteView;
using bkcheck::fuzz::MemoryFileSystem;

// Named by the UDID of the seeds' backup (testdata/backups/plain-ios9), so an intact seed verifies
// clean and the fuzzer starts from "ok" rather than from folder.name_mismatch.
const bkcheck::fs::path k_backup_dir =
    "/MobileSync/Backup/3140c4b7d3e6bc3df24ab1fb07139f86bef32641";
// Where the links of tag bit 0x20 lead: another backup, which verify must not read.
const bkcheck::fs::path k_sibling_dir = "/MobileSync/Backup/sibling";

constexpr std::uint8_t k_variant = 0x10;
constexpr std::uint8_t k_link = 0x20;
constexpr std::uint8_t k_fail_reads = 0x40;
constexpr std::uint8_t k_manifest_db = 0x80;  // on tag 3

struct Entry {
    std::uint8_t tag;
    ByteView payload;
};

std::vector<Entry> split_records(ByteView input)
{
    std::vector<Entry> entries;
    std::size_t at = 0;
    while (at < input.size()) {
        std::uint8_t tag = input[at++];
        std::size_t length = 0;
        if (at < input.size()) length = input[at++];
        if (at < input.size()) length |= static_cast<std::size_t>(input[at++]) << 8;
        length = std::min(length, input.size() - at);
        entries.push_back({tag, input.subspan(at, length)});
        at += length;
    }
    return entries;
}

// A relative path from fuzz bytes: '/'-separated parts, empty/"."/".." dropped (the tree must stay
// inside the backup folder), at most 4 parts. Empty when nothing usable is left.
std::string stray_path(ByteView payload)
{
    std::string text(payload.begin(), payload.end());
    std::string path;
    int parts = 0;
    std::size_t start = 0;
    while (start <= text.size() && parts < 4) {
        std::size_t end = text.find('/', start);
        if (end == std::string::npos) end = text.size();
        std::string part = text.substr(start, end - start);
        if (!part.empty() && part != "." && part != "..") {
            path += (parts++ == 0 ? "" : "/") + part;
        }
        start = end + 1;
    }
    return path;
}

void add_entry(MemoryFileSystem& file_system, const std::string& relative, std::uint8_t tag,
               ByteView content, bool as_folder)
{
    bkcheck::fs::path path = k_backup_dir / relative;
    bool added = as_folder ? file_system.add_directory(path)
                           : file_system.add_file(path, Bytes(content.begin(), content.end()));
    if (added && (tag & k_fail_reads) != 0) file_system.fail_reads(path);
}

// A symlink here to the same relative path in the sibling backup.
void add_link(MemoryFileSystem& file_system, const std::string& relative)
{
    file_system.add_symlink(k_backup_dir / relative, (k_sibling_dir / relative).string());
}

void add_blob(MemoryFileSystem& file_system, const std::string& file_id, std::uint8_t tag,
              ByteView content)
{
    std::string relative = (tag & k_variant) != 0 ? file_id.substr(0, 2) + "/" + file_id : file_id;
    if ((tag & k_link) != 0) {
        file_system.add_file(k_sibling_dir / relative, Bytes(content.begin(), content.end()));
        add_link(file_system, relative);
        return;
    }
    add_entry(file_system, relative, tag, content, false);
}

// The names verify reads at the top of a backup: a link there is outside what the harness asserts.
bool read_at_top_level(const std::string& relative)
{
    std::string first = relative.substr(0, relative.find('/'));
    for (const char* name : {"Info.plist", "Status.plist", "Manifest.plist", "Manifest.mbdb",
                             "Manifest.db", "Manifest.db-wal", "Manifest.db-shm", "Snapshot"}) {
        if (first == name) return true;
    }
    return false;
}

// The fileIDs of the records of the tree's index as it stands, in index order: Manifest.db (with
// its -wal) when it reads, else Manifest.mbdb.
std::vector<std::string> record_file_ids(const MemoryFileSystem& file_system)
{
    std::vector<std::string> ids;
    if (auto db = bkcheck::read_manifest_db(file_system, k_backup_dir / "Manifest.db")) {
        for (const bkcheck::FileRecord& record : db->records) ids.push_back(record.file_id);
        if (!ids.empty()) return ids;
    }
    auto bytes = file_system.read_file(k_backup_dir / "Manifest.mbdb", 1 << 20);
    if (!bytes) return ids;
    auto index = bkcheck::parse_mbdb(*bytes, "fuzz");
    if (!index) return ids;
    for (const bkcheck::FileRecord& record : index->records) ids.push_back(record.file_id);
    return ids;
}

void build_tree(MemoryFileSystem& file_system, const std::vector<Entry>& entries)
{
    file_system.add_directory(k_backup_dir);
    static const char* const k_top_level[] = {"Info.plist", "Status.plist", "Manifest.plist",
                                              "Manifest.mbdb"};
    for (const Entry& entry : entries) {
        bool variant = (entry.tag & k_variant) != 0;
        switch (entry.tag & 7) {
            case 3:
                if ((entry.tag & k_manifest_db) != 0) {
                    add_entry(file_system, variant ? "Manifest.db-wal" : "Manifest.db", entry.tag,
                              entry.payload, false);
                    break;
                }
                [[fallthrough]];
            case 0:
            case 1:
            case 2:
                add_entry(file_system, k_top_level[entry.tag & 7], entry.tag, entry.payload,
                          variant);
                break;
            case 4:
                add_entry(file_system, variant ? "Snapshot" : "Snapshot/x", entry.tag,
                          entry.payload, variant);
                break;
            case 5:
                break;  // needs the final Manifest.mbdb: added below
            case 6: {
                Bytes id(20, 0);
                std::size_t id_size = std::min<std::size_t>(20, entry.payload.size());
                std::copy_n(entry.payload.begin(), id_size, id.begin());
                add_blob(file_system, bkcheck::to_hex(id), entry.tag,
                         entry.payload.subspan(id_size));
                break;
            }
            case 7: {
                std::string path = stray_path(entry.payload);
                if (path.empty()) break;
                if ((entry.tag & k_link) != 0 && !read_at_top_level(path)) {
                    add_link(file_system, path);
                } else {
                    add_entry(file_system, path, entry.tag, {}, variant);
                }
                break;
            }
        }
    }
    std::vector<std::string> ids = record_file_ids(file_system);
    if (ids.empty()) return;
    for (const Entry& entry : entries) {
        if ((entry.tag & 7) != 5) continue;
        std::size_t k = entry.payload.empty() ? 0 : entry.payload[0];
        add_blob(file_system, ids[k % ids.size()], entry.tag,
                 entry.payload.subspan(entry.payload.empty() ? 0 : 1));
    }
}

struct Outcome {
    bool ok = false;
    bkcheck::VerifyResult result;
    std::map<std::string, std::size_t> totals;
};

Outcome run_verify(const MemoryFileSystem& file_system, const bkcheck::Backup& backup,
                   const bkcheck::VerifyOptions& options)
{
    bkcheck::FindingSink sink;
    auto verified = bkcheck::verify_backup(file_system, backup, options, sink);
    Outcome outcome;
    if (!verified) {
        // Only an iOS <= 4 layout is a job verify cannot do; nothing cancels it here.
        if (verified.error().code != bkcheck::ErrorCode::Unsupported ||
            backup.format != bkcheck::BackupFormat::LegacyUnsupported) {
            std::abort();
        }
        return outcome;
    }
    outcome.ok = true;
    outcome.result = *verified;
    outcome.totals = sink.totals();
    if (outcome.result.verdict == bkcheck::Verdict::Ok && sink.count(bkcheck::Severity::Error) != 0)
        std::abort();
    if (outcome.result.counts.blobs_read > outcome.result.counts.blobs_checked) std::abort();
    return outcome;
}

bool same(const bkcheck::VerifyCounts& a, const bkcheck::VerifyCounts& b)
{
    return a.records == b.records && a.files == b.files && a.directories == b.directories &&
           a.symlinks == b.symlinks && a.blobs_checked == b.blobs_checked &&
           a.blobs_read == b.blobs_read && a.bytes_read == b.bytes_read &&
           a.blobs_decrypted == b.blobs_decrypted;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0 || size > (1 << 20)) return 0;
    std::uint8_t flags = data[0];
    MemoryFileSystem file_system;
    build_tree(file_system, split_records(ByteView(data + 1, size - 1)));
    file_system.watch_reads_under(k_sibling_dir);
    if ((flags & 4) != 0) file_system.set_read_chunk(61);

    auto backup = bkcheck::open_backup(file_system, k_backup_dir);
    if (!backup) return 0;  // NotABackup: a tree with none of the files a backup has

    bkcheck::VerifyOptions options;
    options.threads = 1;  // determinism is asserted, and one thread keeps runs reproducible
    options.read_data = (flags & 1) != 0;
    options.read_fraction = (flags & 2) != 0 ? 0.5 : 1.0;
    Outcome first = run_verify(file_system, *backup, options);
    Outcome second = run_verify(file_system, *backup, options);
    if (first.ok != second.ok) std::abort();
    if (file_system.watched_reads() != 0) std::abort();  // read through a link into the sibling
    if (first.ok &&
        (first.result.verdict != second.result.verdict ||
         !same(first.result.counts, second.result.counts) || first.totals != second.totals)) {
        std::abort();
    }
    return 0;
}
