#include "backup_writer.h"
#include "bytes.h"

#include "plists.h"
#include "random.h"
#include "writer_steps.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <system_error>

#ifndef _WIN32
#include <fcntl.h>
#include <unistd.h>
#endif

namespace bkcheck::testgen {
namespace {

struct DamageInfo {
    Damage damage;
    const char* name;
    const char* finding;
};

constexpr DamageInfo k_damages[] = {
    {Damage::InfoPlistMissing, "info_plist_missing", "info_plist.missing"},
    {Damage::InfoPlistUnreadable, "info_plist_unreadable", "info_plist.unreadable"},
    {Damage::StatusPlistMissing, "status_plist_missing", "status_plist.missing"},
    {Damage::StatusPlistUnreadable, "status_plist_unreadable", "status_plist.unreadable"},
    {Damage::ManifestPlistMissing, "manifest_plist_missing", "manifest_plist.missing"},
    {Damage::ManifestPlistUnreadable, "manifest_plist_unreadable", "manifest_plist.unreadable"},
    {Damage::StatusUnfinished, "status_unfinished", "status.unfinished"},
    {Damage::SnapshotDirPresent, "snapshot_dir_present", "snapshot_dir.present"},
    {Damage::ManifestMissing, "manifest_missing", "manifest.missing"},
    {Damage::ManifestUnreadable, "manifest_unreadable", "manifest.unreadable"},
    {Damage::IdentityMismatch, "identity_mismatch", "identity.mismatch"},
    {Damage::FolderNameMismatch, "folder_name_mismatch", "folder.name_mismatch"},
    {Damage::FileIdMismatch, "file_id_mismatch", "record.file_id_mismatch"},
    {Damage::RecordUnreadable, "record_unreadable", "record.unreadable"},
    {Damage::ModeTypeMissing, "mode_type_missing", "record.mode_type_missing"},
    {Damage::BlobMissing, "blob_missing", "blob.missing"},
    {Damage::BlobMisplaced, "blob_misplaced", "blob.misplaced"},
    {Damage::BlobSizeMismatch, "blob_size_mismatch", "blob.size_mismatch"},
    {Damage::BlobDigestMismatch, "blob_digest_mismatch", "blob.digest_mismatch"},
    {Damage::OrphanBlob, "orphan_blob", "orphan.blob"},
    {Damage::OrphanEntry, "orphan_entry", "orphan.entry"},
    {Damage::WalCommittedRows, "wal_committed_rows", "manifest.wal_present"},
    {Damage::ManifestSchemaLost, "manifest_schema_lost", "manifest.unreadable"},
};

const DamageInfo& info_of(Damage damage)
{
    for (const DamageInfo& info : k_damages) {
        if (info.damage == damage) return info;
    }
    return k_damages[0];  // unreachable: every enumerator is in the table
}

std::string uuid_folder_name(std::uint32_t seed)
{
    Rng rng = Rng::derive(seed, "folder");
    std::string hex = to_hex(rng.bytes(16));
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
           hex.substr(16, 4) + "-" + hex.substr(20);
}

std::string folder_name_for(const BackupSpec& spec, const std::string& udid)
{
    bool renamed = std::find(spec.damages.begin(), spec.damages.end(),
                             Damage::FolderNameMismatch) != spec.damages.end();
    // A renamed folder is a UUID, as in the real iOS 9 backup of format.md §11.
    if (renamed)
        return spec.folder_name.empty() || spec.folder_name == udid ? uuid_folder_name(spec.seed)
                                                                    : spec.folder_name;
    return spec.folder_name.empty() ? udid : spec.folder_name;
}

Status check_spec(const BackupSpec& spec, const fs::path& dir)
{
    if (spec.file_count < 0)
        return make_error(ErrorCode::InvalidArgument, {}, "the file count cannot be negative");
    if (spec.encrypted && spec.password.empty()) {
        return make_error(ErrorCode::InvalidArgument, {}, "an encrypted backup needs a password");
    }
    if (spec.iterations == 0 || spec.dp_iterations == 0) {
        return make_error(ErrorCode::InvalidArgument, {},
                          "keybag iteration counts must be at least 1");
    }
    for (Damage damage : spec.damages) {
        if (!damage_applies(damage, spec.format, spec.encrypted)) {
            return make_error(ErrorCode::InvalidArgument, {},
                              std::string("damage ") + damage_name(damage) +
                                  " does not apply to this kind of backup");
        }
    }
    std::error_code ec;
    if (fs::exists(dir, ec))
        return make_error(ErrorCode::InvalidArgument, dir.string(), "already exists");
    return Ok{};
}

Status write_plists(WriteContext& context)
{
    const BackupSpec& spec = context.spec;
    PlistOptions options{spec.binary_plists, spec.seed};
    DeviceProfile info_profile = context.profile;
    if (context.has(Damage::IdentityMismatch)) {
        // Info.plist is rewritten by the host at every attempt (§1.6): one from another device's
        // attempt names that device. Lockdown keeps the folder's UDID, so only identity.mismatch
        // fires.
        BackupSpec other = spec;
        other.udid.clear();
        other.seed = spec.seed + 7919;
        info_profile.udid = udid_for(other);
    }
    BK_TRY(write_file(context.dir / "Info.plist", info_plist(info_profile, options)));
    const char* state = context.has(Damage::StatusUnfinished) ? "uploading" : "finished";
    BK_TRY(write_file(context.dir / "Status.plist", status_plist(context.profile, options, state)));
    return write_file(context.dir / "Manifest.plist",
                      manifest_plist(context.profile, options, spec.encrypted, context.keys.keybag,
                                     context.manifest_key));
}

}  // namespace

bool WriteContext::has(Damage damage) const
{
    return std::find(spec.damages.begin(), spec.damages.end(), damage) != spec.damages.end();
}

const char* damage_name(Damage damage)
{
    return info_of(damage).name;
}

const char* expected_finding(Damage damage)
{
    return info_of(damage).finding;
}

std::optional<Damage> parse_damage(std::string_view name)
{
    for (const DamageInfo& info : k_damages) {
        if (name == info.name) return info.damage;
    }
    return std::nullopt;
}

const std::vector<Damage>& all_damages()
{
    static const std::vector<Damage> k_all = [] {
        std::vector<Damage> all;
        for (const DamageInfo& info : k_damages) all.push_back(info.damage);
        return all;
    }();
    return k_all;
}

bool damage_applies(Damage damage, IndexFormat format, bool encrypted)
{
    switch (damage) {
        case Damage::FileIdMismatch:    // mbdb stores no fileID: readers compute it (§4)
        case Damage::RecordUnreadable:  // an mbdb record cannot be garbled alone: the parse stops
                                        // there
        case Damage::ManifestSchemaLost:  // an mbdb has no schema (ManifestUnreadable damages it)
            return format == IndexFormat::ManifestDb;
        case Damage::WalCommittedRows:  // an encrypted Manifest.db is one ciphertext; it has no
                                        // -wal
            return format == IndexFormat::ManifestDb && !encrypted;
        default:
            return true;
    }
}

std::FILE* open_stdio(const fs::path& path, const char* mode)
{
#ifdef _WIN32
    std::wstring wide_mode(mode, mode + std::strlen(mode));
    return ::_wfopen(path.c_str(), wide_mode.c_str());
#else
    return std::fopen(path.c_str(), mode);
#endif
}

Status write_file(const fs::path& path, ByteView bytes)
{
#ifdef _WIN32
    std::FILE* file = open_stdio(path, "wb");
    if (file == nullptr)
        return make_error(ErrorCode::Io, path.string(),
                          std::string("cannot create: ") + std::strerror(errno));
    bool written =
        bytes.size() == 0 || std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
    if (std::fclose(file) != 0 || !written)
        return make_error(ErrorCode::Io, path.string(), "cannot write the file");
    return Ok{};
#else
    // Plain POSIX calls: a million-blob benchmark backup spends most of its time creating files,
    // and stdio would add a buffer allocation and an fstat to each.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return make_error(ErrorCode::Io, path.string(),
                          std::string("cannot create: ") + std::strerror(errno));
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
    }
    bool ok = ::close(fd) == 0 && done == bytes.size();
    if (!ok) return make_error(ErrorCode::Io, path.string(), "cannot write the file");
    return Ok{};
#endif
}

Result<Bytes> read_whole_file(const fs::path& path)
{
    std::error_code ec;
    std::uintmax_t size = fs::file_size(path, ec);
    if (ec) return make_error(ErrorCode::Io, path.string(), ec.message());
    Bytes bytes(size);
    std::FILE* file = open_stdio(path, "rb");
    if (file == nullptr) return make_error(ErrorCode::Io, path.string(), "cannot open the file");
    bool ok = size == 0 || std::fread(bytes.data(), 1, bytes.size(), file) == bytes.size();
    std::fclose(file);
    if (!ok) return make_error(ErrorCode::Io, path.string(), "cannot read the file");
    return bytes;
}

Result<fs::path> write_backup(const BackupSpec& spec, const fs::path& parent_dir)
{
    WriteContext context{spec, device_profile(spec), {}, {}, {}, {}, {}, {}, {}};
    context.dir = parent_dir / folder_name_for(spec, context.profile.udid);
    BK_TRY(check_spec(spec, context.dir));
    std::error_code ec;
    fs::create_directories(context.dir, ec);
    if (ec)
        return make_error(ErrorCode::Io, context.dir.string(),
                          "cannot create the folder: " + ec.message());

    Rng key_rng = Rng::derive(spec.seed, "keybag");
    KeybagOptions keybag_options;
    keybag_options.password = spec.encrypted ? std::string_view(spec.password) : std::string_view();
    keybag_options.iterations = spec.iterations;
    keybag_options.dp_iterations = spec.dp_iterations;
    // Unencrypted backups still carry a keybag, without the iOS 10.2 second stage (format.md §2.3,
    // §5.1).
    keybag_options.two_stage = spec.encrypted && spec.format == IndexFormat::ManifestDb;
    auto keys = make_keybag(keybag_options, key_rng);
    if (!keys) return std::move(keys).error();
    context.keys = std::move(*keys);
    if (spec.encrypted && spec.format == IndexFormat::ManifestDb) {
        context.manifest_db_key = key_rng.bytes(32);
        auto manifest_key = wrap_with_class(context.keys, 4,
                                            context.manifest_db_key);  // class 4 as observed (§5.4)
        if (!manifest_key) return std::move(manifest_key).error();
        context.manifest_key = std::move(*manifest_key);
    }

    context.records = make_records(spec, context.profile);
    BK_TRY(pick_damage_targets(context));
    apply_record_damages(context);
    BK_TRY(write_blobs(context));
    BK_TRY(write_index(context));
    BK_TRY(write_plists(context));
    BK_TRY(apply_file_damages(context));
    if (spec.hostile_names) {
        // Their blobs go, so that verify, extract and doctor name them in findings too.
        for (const FileRecord& record : context.records) {
            if (record.kind != FileKind::File ||
                !(is_hostile_name(record.domain) || is_hostile_name(record.relative_path))) {
                continue;
            }
            fs::remove(context.dir / blob_relative_path(spec.format, record.file_id).value(), ec);
        }
    }
    return context.dir;
}

}  // namespace bkcheck::testgen
