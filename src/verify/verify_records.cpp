// Record step of verify: every row of the index on its own (format.md §1.4, §3.3, §6), before any
// blob is touched.
#include "bkcheck/findings.h"
#include "bytes.h"
#include "file_id.h"
#include "verify_steps.h"

#include <algorithm>

namespace bkcheck::detail {
namespace {

// A leading "/", a NUL anywhere, or a component that is exactly "..": in one pass over the bytes
// (a find per component cost a memchr call each, on every row).
bool has_unsafe_component(std::string_view path)
{
    if (!path.empty() && path.front() == '/') return true;
    const std::size_t size = path.size();
    for (std::size_t i = 0; i < size; ++i) {
        if (path[i] == '\0') return true;
        if (path[i] == '.' && (i == 0 || path[i - 1] == '/') && i + 1 < size &&
            path[i + 1] == '.' && (i + 2 == size || path[i + 2] == '/')) {
            return true;
        }
    }
    return false;
}

// Apple's decoder treats SF_DATALESS (iCloud-evicted) files as having no content (§3.4).
constexpr std::uint32_t k_sf_dataless = 0x40000000;

void count_kind(const FileRecord& record, VerifyCounts& counts)
{
    switch (record.kind) {
        case FileKind::File:
            ++counts.files;
            break;
        case FileKind::Directory:
            ++counts.directories;
            break;
        case FileKind::Symlink:
            ++counts.symlinks;
            break;
        case FileKind::Unknown:
            break;
    }
}

}  // namespace

// Stable pseudo-random choice by fileID, so a sample is the same on every run.
bool in_sample(std::string_view file_id, double fraction)
{
    if (fraction >= 1.0) return true;
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 8 && i < file_id.size(); ++i)
        value = value * 31 + static_cast<unsigned char>(file_id[i]);
    return static_cast<double>(value % 10000) < fraction * 10000.0;
}

BlobJob check_record(const Backup& backup, const FileRecord& record, bool duplicate,
                     const VerifyOptions& options, FindingSink& sink, VerifyCounts& counts)
{
    count_kind(record, counts);
    auto subject = [&](std::string_view code, std::string message) {
        if (sink.count_if_dropped(code, record.file_id, record.relative_path, record.domain))
            return;
        sink.add(make_finding(code, std::move(message), record.file_id, record.domain,
                              record.relative_path));
    };
    std::optional<BlobId> id = parse_blob_id(record.file_id);  // nullopt unless is_file_id
    if (!id) {
        subject(finding_code::record_file_id_mismatch,
                "the fileID \"" + record.file_id + "\" is not 40 lowercase hex digits");
        if (record.kind == FileKind::File) ++counts.levels.damaged;
        return {};  // never build a blob path from it: it could point anywhere
    }
    // Compared as bytes: the hex string of the digest is made only for the message.
    Sha1Digest expected_id = file_id_digest(record.domain, record.relative_path);
    if (!std::equal(expected_id.begin(), expected_id.end(), id->begin())) {
        subject(finding_code::record_file_id_mismatch,
                "the fileID is not the SHA-1 of \"" + record.domain + "-" + record.relative_path +
                    "\" (" + to_hex(expected_id) + ")");
    }
    if (duplicate) {
        subject(finding_code::record_duplicate, "the index lists this fileID more than once");
        if (record.kind == FileKind::File) ++counts.levels.damaged;
        return {};
    }
    if (leaves_its_domain(record.domain, record.relative_path)) {
        subject(finding_code::record_unsafe_path,
                "the path leaves its domain (a \"..\", a leading \"/\" or a NUL): restoring it "
                "writes outside the "
                "app's container on software that follows the path, which crafted backups have "
                "used to plant files");
    }
    if (kind_from_mode(record.mode) == FileKind::Unknown) {
        subject(finding_code::record_mode_type_missing,
                "the mode has no file type bits; a restore fails with \"file type missing from "
                "file record mode\"");
    }
    bool is_file = backup.format == BackupFormat::ManifestDb ? record.flags == k_flags_file
                                                             : record.kind == FileKind::File;
    if (!is_file || (record.bsd_flags & k_sf_dataless) != 0) return {};
    bool encrypted = !record.encryption_key.empty() || backup.encrypted;
    bool read = options.read_data && in_sample(record.file_id, options.read_fraction) &&
                (options.read_only == nullptr || options.read_only->count(record.file_id) != 0);
    return {true,
            encrypted,
            read,
            read && options.deep,
            options.manifest_db.full_integrity_check,
            std::nullopt,
            *id};
}

bool leaves_its_domain(std::string_view domain, std::string_view relative_path)
{
    return has_unsafe_component(relative_path) || domain.find('/') != std::string_view::npos ||
           domain.find('\0') != std::string_view::npos || domain == "..";
}

}  // namespace bkcheck::detail
