// Damages: each turns one healthy part of the backup into the on-disk symptom of a real failure
// (format.md §1.7, §6, §7). Record-level ones change the records before the index is written; the
// rest change files after the healthy backup is on disk. Each damage gets its own record, so
// several can be combined in one backup without one hiding another.
#include "bytes.h"
#include "writer_steps.h"

#include "random.h"

#include <algorithm>
#include <system_error>

namespace bkcheck::testgen {
namespace {

constexpr std::size_t k_wal_row_count = 3;

std::optional<std::size_t> first_unused(const WriteContext& context, const std::vector<bool>& used,
                                        bool want_digest, bool want_no_digest)
{
    // Prefer files with content, so a flipped or appended byte lands in real data.
    for (int pass = 0; pass < 2; ++pass) {
        for (std::size_t i = 0; i < context.records.size(); ++i) {
            const FileRecord& record = context.records[i];
            if (record.kind != FileKind::File || used[i]) continue;
            if (pass == 0 && record.size == 0) continue;
            bool digests = domain_has_digests(record.domain);
            if ((want_digest && !digests) || (want_no_digest && digests)) continue;
            return i;
        }
    }
    return std::nullopt;
}

Status remove_file(const fs::path& path)
{
    std::error_code ec;
    if (!fs::remove(path, ec) || ec)
        return make_error(ErrorCode::Io, path.string(), "cannot remove");
    return Ok{};
}

// A blob folder left empty by a damage goes too: real backups have no empty xx/ folders (§1.3).
void remove_if_empty(const fs::path& folder)
{
    std::error_code ec;
    if (fs::is_empty(folder, ec) && !ec) fs::remove(folder, ec);
}

Status move_file(const fs::path& from, const fs::path& to)
{
    std::error_code ec;
    fs::create_directories(to.parent_path(), ec);
    if (!ec) fs::rename(from, to, ec);
    if (ec)
        return make_error(ErrorCode::Io, from.string(),
                          "cannot move to " + to.string() + ": " + ec.message());
    return Ok{};
}

// Bytes that neither libplist parser accepts: no "bplist" magic and no XML.
Bytes garbage_plist(std::uint32_t seed, std::string_view purpose)
{
    std::string text = "\x01\x02not a property list\n";
    Bytes bytes(text.begin(), text.end());
    Bytes tail = Rng::derive(seed, purpose).bytes(40);
    bytes.insert(bytes.end(), tail.begin(), tail.end());
    return bytes;
}

Status damage_plist(const WriteContext& context, const char* file, bool missing)
{
    fs::path path = context.dir / file;
    if (missing) return remove_file(path);
    return write_file(path, garbage_plist(context.spec.seed, file));
}

Status change_blob(const WriteContext& context, std::size_t row, Damage damage)
{
    const FileRecord& record = context.records[row];
    IndexFormat format = context.spec.format;
    fs::path blob = context.dir / blob_relative_path(format, record.file_id).value();
    switch (damage) {
        case Damage::BlobMissing:
            BK_TRY(remove_file(blob));
            if (format == IndexFormat::ManifestDb) remove_if_empty(blob.parent_path());
            return Ok{};
        case Damage::BlobMisplaced: {
            // Manifest.db era: into the neighbouring xx/ folder. mbdb era: into the xx/ folder a
            // Manifest.db backup would use, a plausible mix-up by a copying tool.
            std::string folder = record.file_id.substr(0, 2);
            if (format == IndexFormat::ManifestDb) {
                auto byte = from_hex(folder);
                std::uint8_t next = static_cast<std::uint8_t>((byte ? (*byte)[0] : 0) + 1);
                folder = to_hex(ByteView(&next, 1));
            }
            BK_TRY(move_file(blob, context.dir / folder / record.file_id));
            if (format == IndexFormat::ManifestDb) remove_if_empty(blob.parent_path());
            return Ok{};
        }
        default:
            break;
    }
    auto bytes = read_whole_file(blob);
    if (!bytes) return std::move(bytes).error();
    if (damage == Damage::BlobSizeMismatch) {
        // Encrypted: a whole extra block keeps the length a multiple of 16, so only the recorded
        // size (not the cipher's block structure) gives it away.
        std::size_t extra = context.spec.encrypted ? 16 : 1;
        Bytes tail = Rng::derive(context.spec.seed, "size-mismatch").bytes(extra);
        bytes->insert(bytes->end(), tail.begin(), tail.end());
    } else if (!bytes->empty()) {  // BlobDigestMismatch: same length, one bit changed
        (*bytes)[bytes->size() / 2] ^= 0x01;
    }
    return write_file(blob, *bytes);
}

Status stage_snapshot(const WriteContext& context, std::size_t row)
{
    // An interrupted backup leaves the device's uploads in Snapshot/, iOS 10+ as
    // Snapshot/<xx>/<fileID> (§1.6).
    const FileRecord& record = context.records[row];
    fs::path staged =
        context.dir / "Snapshot" / blob_relative_path(context.spec.format, record.file_id).value();
    std::error_code ec;
    fs::create_directories(staged.parent_path(), ec);
    if (ec) return make_error(ErrorCode::Io, staged.parent_path().string(), ec.message());
    return write_file(staged, Rng::derive(context.spec.seed, "snapshot").bytes(100));
}

Status add_orphan_blob(const WriteContext& context)
{
    std::string file_id = file_id_for("HomeDomain", "Library/Caches/deleted-by-a-cleanup-tool.db");
    fs::path path = context.dir / blob_relative_path(context.spec.format, file_id).value();
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec) return make_error(ErrorCode::Io, path.parent_path().string(), ec.message());
    return write_file(path, Rng::derive(context.spec.seed, "orphan").bytes(300));
}

}  // namespace

Status pick_damage_targets(WriteContext& context)
{
    std::vector<bool> used(context.records.size(), false);
    if (context.has(Damage::WalCommittedRows)) {
        for (std::size_t i = context.records.size();
             i-- > 0 && context.wal_rows.size() < k_wal_row_count;) {
            if (context.records[i].kind == FileKind::File) {
                context.wal_rows.push_back(i);
                used[i] = true;
            }
        }
        std::sort(context.wal_rows.begin(), context.wal_rows.end());
    }
    DamageTargets& targets = context.targets;
    struct Want {
        Damage damage;
        std::optional<std::size_t>* slot;
        bool digest;
        bool no_digest;
    };
    // The constrained picks first, so a small backup still has a system-domain file for the digest.
    const Want wants[] = {
        {Damage::BlobDigestMismatch, &targets.blob_digest_mismatch, true, false},
        {Damage::BlobSizeMismatch, &targets.blob_size_mismatch, false, true},
        {Damage::FileIdMismatch, &targets.file_id_mismatch, false, false},
        {Damage::RecordUnreadable, &targets.record_unreadable, false, false},
        {Damage::ModeTypeMissing, &targets.mode_type_missing, false, false},
        {Damage::BlobMissing, &targets.blob_missing, false, false},
        {Damage::BlobMisplaced, &targets.blob_misplaced, false, false},
        {Damage::SnapshotDirPresent, &targets.snapshot_dir, false, false},
    };
    for (const Want& want : wants) {
        if (!context.has(want.damage)) continue;
        *want.slot = first_unused(context, used, want.digest, want.no_digest);
        if (!*want.slot) {
            return make_error(ErrorCode::InvalidArgument, {},
                              std::string("damage ") + damage_name(want.damage) +
                                  " needs more files in the backup");
        }
        used[**want.slot] = true;
    }
    return Ok{};
}

void apply_record_damages(WriteContext& context)
{
    const DamageTargets& targets = context.targets;
    if (targets.file_id_mismatch) {
        // A stored fileID that is valid hex but hashes another path; the blob is written under it,
        // so only the recomputation notices.
        FileRecord& record = context.records[*targets.file_id_mismatch];
        record.file_id = file_id_for(record.domain, record.relative_path + ".old");
    }
    if (targets.mode_type_missing) {
        FileRecord& record = context.records[*targets.mode_type_missing];
        record.mode &= ~k_mode_type_mask;  // permission bits only, as in CowabungaLite #13
    }
}

Status apply_file_damages(WriteContext& context)
{
    const DamageTargets& targets = context.targets;
    const char* index_file =
        context.spec.format == IndexFormat::ManifestDb ? "Manifest.db" : "Manifest.mbdb";
    for (Damage damage : context.spec.damages) {
        switch (damage) {
            case Damage::InfoPlistMissing:
                BK_TRY(damage_plist(context, "Info.plist", true));
                break;
            case Damage::InfoPlistUnreadable:
                BK_TRY(damage_plist(context, "Info.plist", false));
                break;
            case Damage::StatusPlistMissing:
                BK_TRY(damage_plist(context, "Status.plist", true));
                break;
            case Damage::StatusPlistUnreadable:
                BK_TRY(damage_plist(context, "Status.plist", false));
                break;
            case Damage::ManifestPlistMissing:
                BK_TRY(damage_plist(context, "Manifest.plist", true));
                break;
            case Damage::ManifestPlistUnreadable:
                BK_TRY(damage_plist(context, "Manifest.plist", false));
                break;
            case Damage::ManifestMissing:
                BK_TRY(remove_file(context.dir / index_file));
                break;
            case Damage::SnapshotDirPresent:
                BK_TRY(stage_snapshot(context, *targets.snapshot_dir));
                break;
            case Damage::BlobMissing:
                BK_TRY(change_blob(context, *targets.blob_missing, damage));
                break;
            case Damage::BlobMisplaced:
                BK_TRY(change_blob(context, *targets.blob_misplaced, damage));
                break;
            case Damage::BlobSizeMismatch:
                BK_TRY(change_blob(context, *targets.blob_size_mismatch, damage));
                break;
            case Damage::BlobDigestMismatch:
                BK_TRY(change_blob(context, *targets.blob_digest_mismatch, damage));
                break;
            case Damage::OrphanBlob:
                BK_TRY(add_orphan_blob(context));
                break;
            case Damage::OrphanEntry:
                BK_TRY(write_file(context.dir / "notes.txt",
                                  as_bytes("my notes about this backup\n")));
                break;
            // Made while writing: plists (status_unfinished, identity_mismatch), folder name,
            // records, index.
            case Damage::StatusUnfinished:
            case Damage::IdentityMismatch:
            case Damage::FolderNameMismatch:
            case Damage::FileIdMismatch:
            case Damage::RecordUnreadable:
            case Damage::ModeTypeMissing:
            case Damage::ManifestUnreadable:
            case Damage::WalCommittedRows:
            case Damage::ManifestSchemaLost:
                break;
        }
    }
    return Ok{};
}

}  // namespace bkcheck::testgen
