// Fuzzes the changes bkcheck makes — repair and prune planning, apply_plan, undo_run, purge_runs —
// on a memory file system holding a folder of backups (/root) and a region beside it (/outside),
// with links planted anywhere a hostile or odd backup folder could hold one. The store aborts on
// any change outside /root (memory_file_system.h); the harness checks the rest.
//
// Manifest.mbdb backups only: verify reads a plaintext Manifest.db through SQLite by path, off the
// FileSystem seam (see fuzz_backup_tree.cpp). mbdb stores no fileID (readers compute it from domain
// and path), so fileIDs are always well formed here; fuzz_manifest_db covers hostile ones.
//
// Input (integers little-endian; a last record cut short takes what is left):
//   f0:u8  f1:u8  f2:u8  record*        record := tag:u8  length:u16  payload[length]
// f0: bit 0 backup B starts as a copy of A (A's records build B first); bit 1 so does
// /outside/backup;
//     bits 2-3 repair: none, A, B, A then B; bit 4 repair --force-full; bit 5 prune
//     --unrecoverable; bit 6 no prune; bit 7 at the end, undo the runs planted in the quarantine
//     too.
// f1: bits 0-1 --keep-last: none, 1, 2, none; bits 2-3 --older-than: none, 0, 30, 365 days;
//     bit 4 purge every run listed (else the first run the harness made); bit 5 both repairs get
//     the same run id suffix (two runs in the same second with the same random suffix).
// f2: bits 0-5 N: the N-th change of each apply_plan fails with Io (0: none); bit 6: so does every
//     change after it, as if the process were killed there (then a new "process" undoes the run it
//     left); bit 7: the faults hit the first attempt of each undo instead, which is then run again.
// tag bit 0x80: the record is for backup B (else A); 0x40: reads of the entry fail (Io); 0x10
// varies it. (tag & 15) % 12:
//   0-3 Info.plist, Status.plist, Manifest.plist, Manifest.mbdb (raw bytes)   0x10: a folder by
//   that name 4 Snapshot/x                                                              0x10:
//   Snapshot/ empty 5 the blob of record payload[0] of the final Manifest.mbdb; rest is its content
//   6 a blob named by the hex of payload[0..20); rest is its content
//     (5, 6) 0x10: in a two-hex folder, where an mbdb backup's blob is misplaced
//   7 a stray entry at the relative path in payload (at most 4 parts)        0x10: a folder
//   8 an mbdb record appended to the index: kind:u8 blob:u8 domain '\0' path (no '\0': HomeDomain)
//       kind & 3: file, folder, link, no type bits
//       blob & 3: no blob, its blob, its blob in a two-hex folder, its blob with the record's size
//       +1; blob bit 2: the record carries the blob's SHA-1; bit 3: the blob is then damaged; blob
//       >> 4: content length / 37
//   9 a link: where:u8 target:u8 rest
//       where % 12: 0 blob folder hex(rest[0]); 1 the blob of record rest[0]; 2 Snapshot; 3-6 the
//       four
//         top-level files; 7 the backup folder itself (its other records are then ignored);
//         8 /root/.bkcheck-quarantine; 9 its lock file; 10 the stray path rest; 11 the blob of
//         record rest[0] in its two-hex folder
//       target % 12: 0 /outside/secret; 1 /outside/dir; 2 /outside; 3 /outside/backup; 4 the
//       sibling
//         backup (absolute); 5 the sibling (relative); 6 the sibling's blob of record rest[0]
//         (relative); 7 the sibling's Manifest.mbdb (relative); 8 dangling; 9 itself (a loop);
//         10 ../outside/secret relative to /root; 11 the text of rest
//   10 the quarantine (whatever the backup bit): kind:u8 name '\0' content; kind % 4: 0 a file
//      .bkcheck-quarantine/<name>; 1 a folder; 2 a run folder <name> with journal.plist = content
//      (0x10: a journal built from content = state:u8 then steps [inode:u8 len:u8 from len:u8 to]);
//      3 .bkcheck-quarantine itself a file
//   11 /outside/<path in payload up to '\0'> with the rest as content           0x10: a folder
// Later entries replace earlier files or links of the same path; an entry whose path is taken by a
// folder (or vice versa) is dropped.
//
// Then: repair (plan_repair + apply_plan) of the backups chosen, prune (plan_prune + apply_plan) of
// /root, undo_run of every run made, newest first, and purge_runs. Invariants (abort() otherwise):
//   - no change lands outside /root (the store aborts), and /outside is byte-identical throughout;
//   - a plan changes only its backups (repair: paths in its backup; prune: in a backup it was
//   given);
//   - apply_plan either returns an Applied run, with every change of the plan made, or fails with
//     /root, quarantine aside, as before; after a "kill" midway, undo of the run it left (Applying)
//     succeeds and gives the tree back;
//   - a repair of one backup leaves everything else in /root (quarantine aside) as it was;
//   - list_runs lists every run apply made; undo of each succeeds (after a fault, when run again),
//     and afterwards /root, quarantine aside, is identical to before (same entries, inodes, bytes,
//     link targets and modes);
//   - purge succeeds, removes exactly the runs chosen from list_runs, and changes nothing else.
#include "bytes.h"
#include "crypto.h"
#include "memory_file_system.h"
#include "quarantine_journal.h"

#include "bkcheck/backup.h"
#include "bkcheck/discovery.h"
#include "bkcheck/prune.h"
#include "bkcheck/quarantine.h"
#include "bkcheck/repair.h"
#include "mbdb.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace {

using bkcheck::Bytes;
using bkcheck::ByteView;
using bkcheck::fs::path;
using bkcheck::fuzz::MemoryFileSystem;
using bkcheck::fuzz::MemoryWritableFileSystem;

const path k_root = "/root";
const path k_outside = "/outside";
const std::string k_quarantine = bkcheck::k_quarantine_folder;
// A is named by the UDID of the seeds' backup (testdata/backups/plain-ios9), B as an archived copy
// of the same device, so retention has two backups of one device to choose from.
const std::string k_name_a = "3140c4b7d3e6bc3df24ab1fb07139f86bef32641";
const std::string k_name_b = k_name_a + "-20250101-120000";
constexpr std::int64_t k_now = 1795000000;  // 2026-11-18

constexpr std::uint8_t k_for_b = 0x80;
constexpr std::uint8_t k_fail_reads = 0x40;
constexpr std::uint8_t k_variant = 0x10;

struct Entry {
    std::uint8_t tag;
    ByteView payload;
    int kind() const { return (tag & 15) % 12; }
    bool variant() const { return (tag & k_variant) != 0; }
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

std::string text_of(ByteView bytes)
{
    return std::string(bytes.begin(), bytes.end());
}

// A relative path from fuzz bytes: '/'-separated parts, empty/"."/".." dropped, at most 4 parts.
std::string stray_path(std::string_view text)
{
    std::string result;
    int parts = 0;
    std::size_t start = 0;
    while (start <= text.size() && parts < 4) {
        std::size_t end = std::min(text.find('/', start), text.size());
        std::string_view part = text.substr(start, end - start);
        if (!part.empty() && part != "." && part != "..") {
            result += (parts++ == 0 ? "" : "/") + std::string(part);
        }
        start = end + 1;
    }
    return result;
}

// Splits "a\0b" into ("a", "b"); without a '\0', ("", text).
std::pair<std::string, std::string> split_at_nul(ByteView bytes)
{
    std::string text = text_of(bytes);
    std::size_t nul = text.find('\0');
    if (nul == std::string::npos) return {"", text};
    return {text.substr(0, nul), text.substr(nul + 1)};
}

std::uint8_t byte_at(ByteView bytes, std::size_t i)
{
    return i < bytes.size() ? bytes[i] : 0;
}

ByteView after(ByteView bytes, std::size_t n)
{
    return bytes.subspan(std::min(n, bytes.size()));
}

// "../" once per folder between /root and the folder holding `location`.
std::string up_to_root(const path& location)
{
    std::string up;
    path relative = location.parent_path().lexically_relative(k_root);
    for (const path& part : relative) {
        if (part != ".") up += "../";
    }
    return up;
}

// One generated index record and its blob.
struct Generated {
    bkcheck::FileRecord record;
    int blob = 0;  // 0 none, 1 in place, 2 in a two-hex folder
    Bytes content;
};

Generated generated_record(const Entry& entry, std::size_t number)
{
    std::uint8_t kind = byte_at(entry.payload, 0);
    std::uint8_t blob = byte_at(entry.payload, 1);
    auto [domain, relative] = split_at_nul(after(entry.payload, 2));
    Generated out;
    bkcheck::FileRecord& record = out.record;
    record.domain = domain.empty() ? "HomeDomain" : domain;
    record.relative_path = relative;
    static constexpr std::uint32_t k_modes[] = {0100644, 040755, 0120755, 0644};
    record.mode = k_modes[kind & 3];
    if ((kind & 3) == 2) record.target = "Library/Preferences";
    record.inode = 1000 + number;
    record.user_id = record.group_id = 501;
    record.modified = record.status_changed = record.born = 1450000000;
    record.protection_class = (kind & 3) == 0 ? 3 : 0;
    std::size_t length = static_cast<std::size_t>(blob >> 4) * 37;
    for (std::size_t i = 0; i < length; ++i)
        out.content.push_back(static_cast<std::uint8_t>(i * 31 + number));
    record.size = out.content.size() + ((blob & 3) == 3 ? 1 : 0);
    if ((blob & 4) != 0) {
        auto digest = bkcheck::sha1(out.content);
        record.digest.assign(digest.begin(), digest.end());
    }
    if ((blob & 8) != 0) {
        if (out.content.empty())
            out.content.push_back(0x5a);
        else
            out.content[0] ^= 0xff;
    }
    out.blob = (blob & 3) == 0 ? 0 : (blob & 3) == 2 ? 2 : 1;
    return out;
}

class TreeBuilder {
public:
    explicit TreeBuilder(MemoryFileSystem& store) : m_store(store) {}

    void add_outside(const std::vector<Entry>& entries)
    {
        m_store.add_file(k_outside / "secret", Bytes{'s', 'e', 'c', 'r', 'e', 't'});
        m_store.add_file(k_outside / "dir" / "0123456789abcdef0123456789abcdef01234567",
                         Bytes{'o', 'u', 't'});
        m_store.add_file(k_outside / "dir" / "x", Bytes{'x'});
        for (const Entry& entry : entries) {
            if (entry.kind() != 11) continue;
            auto [name, content] = split_at_nul(entry.payload);
            std::string relative = stray_path(name.empty() ? content : name);
            if (relative.empty()) continue;
            if (entry.variant())
                m_store.add_directory(k_outside / relative);
            else
                m_store.add_file(k_outside / relative, Bytes(content.begin(), content.end()));
        }
    }

    void add_quarantine(const std::vector<Entry>& entries)
    {
        path quarantine = k_root / k_quarantine;
        for (const Entry& entry : entries) {
            if (entry.kind() != 10) continue;
            std::uint8_t kind = byte_at(entry.payload, 0);
            auto [name, content] = split_at_nul(after(entry.payload, 1));
            std::string relative = stray_path(name);
            if (relative.empty()) relative = "x";
            switch (kind % 4) {
                case 0:
                    m_store.add_file(quarantine / relative, Bytes(content.begin(), content.end()));
                    break;
                case 1:
                    m_store.add_directory(quarantine / relative);
                    break;
                case 2: {
                    std::string run = path(relative).begin()->string();
                    Bytes journal = entry.variant() ? journal_from(run, as_view(content))
                                                    : Bytes(content.begin(), content.end());
                    m_store.add_file(quarantine / run / "journal.plist", std::move(journal));
                    break;
                }
                case 3:
                    m_store.add_file(quarantine, Bytes(content.begin(), content.end()));
                    break;
            }
        }
    }

    // A backup at `dir` from `entries` (those of other kinds are skipped); `sibling` is the other
    // one.
    void add_backup(const path& dir, const path& sibling, const std::vector<Entry>& entries)
    {
        for (const Entry& entry : entries) {
            if (entry.kind() == 9 && byte_at(entry.payload, 0) % 12 == 7) {
                m_store.add_symlink(dir, link_target(dir, sibling, byte_at(entry.payload, 1),
                                                     after(entry.payload, 2), {}));
                return;
            }
        }
        // The final index: the last raw Manifest.mbdb (or just the header), then generated records.
        std::optional<Bytes> raw;
        std::vector<Generated> generated;
        for (const Entry& entry : entries) {
            if (entry.kind() == 3 && !entry.variant())
                raw = Bytes(entry.payload.begin(), entry.payload.end());
            if (entry.kind() == 8) generated.push_back(generated_record(entry, generated.size()));
        }
        Bytes index = raw ? *raw : bkcheck::mbdb_header();
        for (const Generated& item : generated) bkcheck::append_mbdb_record(item.record, index);
        std::vector<std::string> ids;
        if (auto parsed = bkcheck::parse_mbdb(index, "fuzz")) {
            for (const bkcheck::FileRecord& record : parsed->records) ids.push_back(record.file_id);
        }
        auto id_of = [&](std::uint8_t k) {
            return ids.empty() ? std::string(40, '0') : ids[k % ids.size()];
        };

        m_store.add_directory(dir);
        static const char* const k_top_level[] = {"Info.plist", "Status.plist", "Manifest.plist",
                                                  "Manifest.mbdb"};
        bool index_written = false;
        std::vector<const Entry*> later;
        for (const Entry& entry : entries) {
            switch (entry.kind()) {
                case 0:
                case 1:
                case 2:
                case 3:
                    if (entry.variant()) {
                        add(dir / k_top_level[entry.kind()], entry.tag, {}, true);
                    } else if (entry.kind() == 3) {
                        add(dir / "Manifest.mbdb", entry.tag, index, false);
                        index_written = true;
                    } else {
                        add(dir / k_top_level[entry.kind()], entry.tag, entry.payload, false);
                    }
                    break;
                case 4:
                    add(dir / (entry.variant() ? "Snapshot" : "Snapshot/x"), entry.tag,
                        entry.payload, entry.variant());
                    break;
                case 5:
                    later.push_back(&entry);
                    break;
                case 6: {
                    Bytes id(20, 0);
                    std::size_t id_size = std::min<std::size_t>(20, entry.payload.size());
                    std::copy_n(entry.payload.begin(), id_size, id.begin());
                    add_blob(dir, bkcheck::to_hex(id), entry.tag, after(entry.payload, id_size),
                             entry.variant());
                    break;
                }
                case 7: {
                    std::string relative = stray_path(text_of(entry.payload));
                    if (!relative.empty()) add(dir / relative, entry.tag, {}, entry.variant());
                    break;
                }
                case 8:
                    if (!index_written && !raw) {
                        add(dir / "Manifest.mbdb", entry.tag & ~k_fail_reads, index, false);
                        index_written = true;
                    }
                    break;
                case 9: {
                    std::uint8_t where = byte_at(entry.payload, 0) % 12;
                    if (where == 1 || where == 11) {
                        later.push_back(&entry);
                        break;
                    }
                    ByteView rest = after(entry.payload, 2);
                    path location;
                    switch (where) {
                        case 0:
                            location = dir / bkcheck::to_hex(Bytes{byte_at(rest, 0)});
                            break;
                        case 2:
                            location = dir / "Snapshot";
                            break;
                        case 3:
                        case 4:
                        case 5:
                        case 6:
                            location = dir / k_top_level[where - 3];
                            break;
                        case 8:
                            location = k_root / k_quarantine;
                            break;
                        case 9:
                            location = k_root / k_quarantine / "lock";
                            break;
                        case 10: {
                            std::string relative = stray_path(text_of(rest));
                            if (relative.empty()) continue;
                            location = dir / relative;
                            break;
                        }
                        default:
                            continue;
                    }
                    add_link(location, sibling, entry, id_of(byte_at(rest, 0)));
                    break;
                }
                default:
                    break;
            }
        }
        // What needs the final index's fileIDs.
        for (const Entry* entry : later) {
            if (entry->kind() == 5) {
                if (ids.empty()) continue;
                add_blob(dir, id_of(byte_at(entry->payload, 0)), entry->tag,
                         after(entry->payload, 1), entry->variant());
            } else {
                ByteView rest = after(entry->payload, 2);
                std::string id = id_of(byte_at(rest, 0));
                path location =
                    byte_at(entry->payload, 0) % 12 == 1 ? dir / id : dir / id.substr(0, 2) / id;
                add_link(location, sibling, *entry, id);
            }
        }
        for (const Generated& item : generated) {
            if (item.blob == 0) continue;
            std::string id = bkcheck::file_id_for(item.record.domain, item.record.relative_path);
            m_store.add_file(item.blob == 2 ? dir / id.substr(0, 2) / id : dir / id, item.content);
        }
    }

private:
    static ByteView as_view(const std::string& text) { return bkcheck::as_bytes(text); }

    void add(const path& where, std::uint8_t tag, ByteView content, bool as_folder)
    {
        bool added = as_folder ? m_store.add_directory(where)
                               : m_store.add_file(where, Bytes(content.begin(), content.end()));
        if (added && (tag & k_fail_reads) != 0) m_store.fail_reads(where);
    }

    void add_blob(const path& dir, const std::string& id, std::uint8_t tag, ByteView content,
                  bool misplaced)
    {
        add(misplaced ? dir / id.substr(0, 2) / id : dir / id, tag, content, false);
    }

    void add_link(const path& location, const path& sibling, const Entry& entry,
                  const std::string& id)
    {
        m_store.add_symlink(location, link_target(location, sibling, byte_at(entry.payload, 1),
                                                  after(entry.payload, 2), id));
    }

    static std::string link_target(const path& location, const path& sibling, std::uint8_t which,
                                   ByteView rest, const std::string& id)
    {
        std::string up = up_to_root(location);
        std::string other = sibling.filename().string();
        switch (which % 12) {
            case 0:
                return "/outside/secret";
            case 1:
                return "/outside/dir";
            case 2:
                return "/outside";
            case 3:
                return "/outside/backup";
            case 4:
                return sibling.string();
            case 5:
                return up + other;
            case 6:
                return up + other + "/" + (id.empty() ? std::string(40, '0') : id);
            case 7:
                return up + other + "/Manifest.mbdb";
            case 8:
                return "/nowhere/x";
            case 9:
                return location.string();
            case 10:
                return up + "../outside/secret";
            default:
                return text_of(rest);
        }
    }

    // A journal for run `run` from compact fuzz bytes: state, then steps.
    static Bytes journal_from(const std::string& run, ByteView spec)
    {
        bkcheck::RunJournal journal;
        journal.id = run;
        journal.verb = "repair";
        journal.created = k_now - 60;
        static constexpr bkcheck::RunState k_states[] = {
            bkcheck::RunState::Applying, bkcheck::RunState::Applied, bkcheck::RunState::RolledBack,
            bkcheck::RunState::Undone};
        journal.state = k_states[byte_at(spec, 0) % 4];
        std::size_t at = 1;
        auto take = [&]() {
            std::size_t length = byte_at(spec, at++);
            length = std::min(length, spec.size() - std::min(at, spec.size()));
            std::string text = at < spec.size() ? text_of(spec.subspan(at, length)) : "";
            at += length;
            return text;
        };
        while (at < spec.size()) {
            std::uint64_t inode = byte_at(spec, at++);
            std::string from = take();
            std::string to = take();
            journal.steps.push_back({from, to, {MemoryFileSystem::k_device, inode}});
        }
        return bkcheck::serialize_journal(journal);
    }

    MemoryFileSystem& m_store;
};

class Checker {
public:
    explicit Checker(MemoryFileSystem& store) : m_store(store), m_outside(store.snapshot(k_outside))
    {
    }

    // /root without the quarantine, and without the backups named in `also_skip`.
    MemoryFileSystem::Snapshot tree(const std::set<std::string>& also_skip = {}) const
    {
        std::set<std::string> skip = also_skip;
        skip.insert(k_quarantine);
        return m_store.snapshot(k_root, skip);
    }

    void outside_unchanged(const char* after) const
    {
        if (m_store.snapshot(k_outside) != m_outside)
            fail(std::string("/outside changed by ") + after);
    }

    [[noreturn]] void fail(const std::string& why) const { m_store.fail(why); }

private:
    MemoryFileSystem& m_store;
    MemoryFileSystem::Snapshot m_outside;
};

// BKCHECK_FUZZ_VERBOSE=1: each plan and what became of it on stderr, to read what an input does.
bool verbose()
{
    static const bool on = std::getenv("BKCHECK_FUZZ_VERBOSE") != nullptr;
    return on;
}

std::string describe(const bkcheck::Plan& plan)
{
    std::string text;
    for (const bkcheck::Action& action : plan.actions) {
        text += "\n  " + action.kind + " " + action.subject;
        for (const bkcheck::Change& change : action.changes) {
            text += "\n    " + std::to_string(static_cast<int>(change.kind)) + " " +
                    change.path.string() + (change.to.empty() ? "" : " -> " + change.to.string());
        }
    }
    return text;
}

// Every change of `plan` is inside one of `folders` (first component).
void require_inside(const Checker& checker, const bkcheck::Plan& plan,
                    const std::set<std::string>& folders)
{
    for (const bkcheck::Action& action : plan.actions) {
        for (const bkcheck::Change& change : action.changes) {
            for (const path* changed : {&change.path, &change.to}) {
                if (changed->empty() && changed == &change.to) continue;
                if (changed->empty() || folders.count(changed->begin()->string()) == 0) {
                    checker.fail(plan.verb + " plans a change outside its backups: " +
                                 changed->string() + describe(plan));
                }
            }
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 3 || size > (1 << 20)) return 0;
    const std::uint8_t f0 = data[0];
    const std::uint8_t f1 = data[1];
    const std::size_t fault_at = data[2] & 63;
    const bool crash = (data[2] & 0x40) != 0;
    const bool fault_undo = (data[2] & 0x80) != 0;
    std::vector<Entry> entries = split_records(ByteView(data + 3, size - 3));

    MemoryFileSystem store;
    {
        TreeBuilder builder(store);
        std::vector<Entry> for_a, for_b;
        for (const Entry& entry : entries) {
            if (entry.kind() >= 10) continue;
            ((entry.tag & k_for_b) != 0 ? for_b : for_a).push_back(entry);
        }
        if ((f0 & 1) != 0) for_b.insert(for_b.begin(), for_a.begin(), for_a.end());
        builder.add_outside(entries);
        store.add_directory(k_root);
        builder.add_quarantine(entries);
        builder.add_backup(k_root / k_name_a, k_root / k_name_b, for_a);
        if (!for_b.empty()) builder.add_backup(k_root / k_name_b, k_root / k_name_a, for_b);
        if ((f0 & 2) != 0) builder.add_backup(k_outside / "backup", k_root / k_name_b, for_a);
    }
    store.set_guard(k_root);
    MemoryWritableFileSystem writer(store);
    Checker checker(store);
    const MemoryFileSystem::Snapshot original = checker.tree();
    std::vector<std::string> made;  // run ids, oldest first

    auto apply = [&](const bkcheck::Plan& plan, const std::string& suffix,
                     const std::string& repaired) {
        MemoryFileSystem::Snapshot before = checker.tree();
        MemoryFileSystem::Snapshot others = checker.tree({repaired});
        std::set<std::string> known;
        if (auto runs = bkcheck::list_runs(store, k_root)) {
            for (const bkcheck::RunInfo& info : *runs) known.insert(info.journal.id);
        }
        if (!fault_undo) writer.inject_fault(fault_at, crash);
        auto run = bkcheck::apply_plan(store, writer, plan, {k_now, suffix});
        bool killed = crash && writer.fired();
        writer.inject_fault(0, false);
        if (verbose()) {
            std::fprintf(stderr, "%s plan:%s\n  -> %s\n", plan.verb.c_str(), describe(plan).c_str(),
                         run ? run->id.c_str() : run.error().describe().c_str());
        }
        checker.outside_unchanged("apply_plan");
        if (!run && killed) {
            // A new process: the run left midway (its journal says Applying) is undone, as the CLI
            // asks.
            auto runs = bkcheck::list_runs(store, k_root);
            if (!runs) checker.fail("list_runs failed after a kill: " + runs.error().describe());
            for (const bkcheck::RunInfo& info : *runs) {
                if (known.count(info.journal.id) != 0 ||
                    info.journal.state != bkcheck::RunState::Applying)
                    continue;
                auto undone = bkcheck::undo_run(store, writer, k_root, info.journal.id);
                checker.outside_unchanged("undo_run after a kill");
                if (!undone)
                    checker.fail("undo after a kill failed: " + undone.error().describe() +
                                 describe(plan));
            }
        }
        if (!run) {
            if (checker.tree() != before) {
                checker.fail("apply_plan failed (" + run.error().describe() +
                             ") and left the tree changed" + describe(plan));
            }
            return;
        }
        if (run->state != bkcheck::RunState::Applied)
            checker.fail("apply_plan returned a run that is not applied");
        // Applied means fully changed: every write in place, every removal and move done.
        std::set<path> written;
        for (const bkcheck::Action& action : plan.actions) {
            for (const bkcheck::Change& change : action.changes) {
                if (change.kind == bkcheck::ChangeKind::Write) written.insert(change.path);
            }
        }
        auto entry = [&](const path& relative) {
            return store.resolve((k_root / relative).native(), false);
        };
        for (const bkcheck::Action& action : plan.actions) {
            for (const bkcheck::Change& change : action.changes) {
                auto at = entry(change.path);
                bool done = true;
                switch (change.kind) {
                    case bkcheck::ChangeKind::Remove:
                        done = written.count(change.path) != 0 || at.error != 0;
                        break;
                    case bkcheck::ChangeKind::Move:
                        done = at.error != 0 && entry(change.to).error == 0;
                        break;
                    case bkcheck::ChangeKind::Write:
                        done = at.error == 0 &&
                               store.node(at.inode)->type == bkcheck::EntryType::File &&
                               store.node(at.inode)->bytes == change.content;
                        break;
                }
                if (!done)
                    checker.fail("run " + run->id + " is applied but " + change.path.string() +
                                 " is not changed" + describe(plan));
            }
        }
        if (!repaired.empty() && checker.tree({repaired}) != others) {
            checker.fail("the repair of " + repaired + " changed something else" + describe(plan));
        }
        made.push_back(run->id);
    };

    // repair
    static const std::string* const k_repair_order[4][2] = {
        {nullptr, nullptr}, {&k_name_a, nullptr}, {&k_name_b, nullptr}, {&k_name_a, &k_name_b}};
    for (const std::string* name : k_repair_order[(f0 >> 2) & 3]) {
        if (name == nullptr) continue;
        auto backup = bkcheck::open_backup(store, k_root / *name);
        if (!backup) continue;
        bkcheck::RepairOptions options;
        options.now = k_now;
        options.threads = 1;
        options.force_full = (f0 & 0x10) != 0;
        auto assessment = bkcheck::plan_repair(store, *backup, options);
        if (!assessment || assessment->plan.empty()) continue;
        require_inside(checker, assessment->plan, {*name});
        std::string suffix = (f1 & 0x20) != 0 ? "r" : (name == &k_name_a ? "ra" : "rb");
        apply(assessment->plan, suffix, *name);
    }

    // prune
    if ((f0 & 0x40) == 0) {
        std::vector<bkcheck::Backup> backups;
        std::set<std::string> names;
        if (auto found = bkcheck::find_backups(store, k_root)) {
            for (const path& dir : *found) {
                auto backup = bkcheck::open_backup(store, dir);
                if (!backup) continue;
                names.insert(backup->folder_name);
                backups.push_back(std::move(*backup));
            }
        }
        bkcheck::PruneOptions options;
        options.now = k_now;
        options.threads = 1;
        static constexpr unsigned k_keep_last[] = {0, 1, 2, 0};
        static constexpr std::int64_t k_older_than[] = {-1, 0, 30, 365};
        if (k_keep_last[f1 & 3] != 0) options.keep_last = k_keep_last[f1 & 3];
        if (k_older_than[(f1 >> 2) & 3] >= 0) options.older_than_days = k_older_than[(f1 >> 2) & 3];
        options.unrecoverable = (f0 & 0x20) != 0;
        auto plan = bkcheck::plan_prune(store, k_root, backups, options);
        if (plan && !plan->empty()) {
            require_inside(checker, *plan, names);
            apply(*plan, "p", "");
        }
    }

    // list_runs knows every run apply made
    auto listed = [&]() {
        auto runs = bkcheck::list_runs(store, k_root);
        if (!runs) {
            if (!made.empty()) checker.fail("list_runs failed: " + runs.error().describe());
            return std::vector<bkcheck::RunInfo>{};
        }
        return std::move(*runs);
    };
    auto find_run = [](const std::vector<bkcheck::RunInfo>& runs,
                       const std::string& id) -> const bkcheck::RunInfo* {
        for (const bkcheck::RunInfo& run : runs) {
            if (run.journal.id == id) return &run;
        }
        return nullptr;
    };
    std::vector<bkcheck::RunInfo> runs = listed();
    for (const std::string& id : made) {
        const bkcheck::RunInfo* run = find_run(runs, id);
        if (run == nullptr || run->journal.state != bkcheck::RunState::Applied) {
            checker.fail("list_runs does not show run " + id + " as applied");
        }
    }

    // undo, newest first: the tree is as it was
    for (auto id = made.rbegin(); id != made.rend(); ++id) {
        if (fault_undo) writer.inject_fault(fault_at, crash);
        auto undone = bkcheck::undo_run(store, writer, k_root, *id);
        bool faulted = writer.fired();
        writer.inject_fault(0, false);
        checker.outside_unchanged("undo_run");
        if (!undone && faulted) {
            undone = bkcheck::undo_run(store, writer, k_root, *id);  // run again, as the user would
            checker.outside_unchanged("undo_run run again");
        }
        if (!undone) checker.fail("undo of " + *id + " failed: " + undone.error().describe());
    }
    if (checker.tree() != original)
        checker.fail("after undo of every run, the tree is not as it was");
    runs = listed();
    for (const std::string& id : made) {
        const bkcheck::RunInfo* run = find_run(runs, id);
        if (run == nullptr || run->journal.state != bkcheck::RunState::Undone)
            checker.fail("run " + id + " is not undone");
    }

    // undo of runs planted in the quarantine: whatever their journals say, nothing outside changes
    bool planted_undone = false;
    if ((f0 & 0x80) != 0) {
        for (const bkcheck::RunInfo& run : runs) {
            if (std::find(made.begin(), made.end(), run.journal.id) != made.end()) continue;
            (void)bkcheck::undo_run(store, writer, k_root, run.journal.id);
            checker.outside_unchanged("undo_run of a planted run");
            planted_undone = true;
        }
        runs = listed();
    }

    // purge
    std::vector<bkcheck::RunInfo> chosen;
    for (const bkcheck::RunInfo& run : runs) {
        if (run.journal.state == bkcheck::RunState::Applying) continue;
        if ((f1 & 0x10) != 0 || (!made.empty() && run.journal.id == made.front()))
            chosen.push_back(run);
    }
    if (!chosen.empty()) {
        MemoryFileSystem::Snapshot before = checker.tree();
        auto freed = bkcheck::purge_runs(writer, k_root, chosen);
        checker.outside_unchanged("purge_runs");
        if (!freed) checker.fail("purge failed: " + freed.error().describe());
        if (checker.tree() != before || (!planted_undone && before != original)) {
            checker.fail("purge changed something outside the quarantine");
        }
        std::vector<bkcheck::RunInfo> left = listed();
        for (const bkcheck::RunInfo& run : chosen) {
            if (find_run(left, run.journal.id) != nullptr)
                checker.fail("run " + run.journal.id + " survived its purge");
        }
        for (const bkcheck::RunInfo& run : runs) {
            bool purged = std::any_of(
                chosen.begin(), chosen.end(),
                [&](const bkcheck::RunInfo& gone) { return gone.journal.id == run.journal.id; });
            if (!purged && find_run(left, run.journal.id) == nullptr)
                checker.fail("purge removed run " + run.journal.id);
        }
    }
    return 0;
}
