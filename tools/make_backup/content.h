// What the generated device holds: its identity and the records of its index (domains, directories,
// symlinks, files with varied sizes, xattrs, protection classes), plus each file's plaintext
// content. Everything here is derived from the BackupSpec alone; see format.md §1.4-1.5, §3.3-3.4,
// §4.
#pragma once

#include "backup_writer.h"

#include "bkcheck/manifest.h"
#include "bytes.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bkcheck::testgen {

// The device and host facts the three plists share (format.md §2).
struct DeviceProfile {
    std::string udid;  // as the device reports it (folder name, Lockdown.UniqueDeviceID)
    std::string device_name;
    std::string product_type;
    std::string product_name;
    std::string product_version;
    std::string build_version;
    std::string serial_number;
    std::string imei;
    std::string iccid;
    std::string phone_number;
    std::string itunes_version;
    std::string status_version;    // Status.plist Version
    std::string manifest_version;  // Manifest.plist Version
    std::string system_domains_version;
    std::int64_t backup_date = 0;             // Unix seconds, fixed per era for reproducible output
    std::vector<std::string> app_bundle_ids;  // AppDomain-* identifiers
    std::vector<std::string> app_group_ids;   // AppDomainGroup-* identifiers
    std::vector<std::string> app_plugin_ids;  // AppDomainPlugin-* identifiers
};

DeviceProfile device_profile(const BackupSpec& spec);

// All index records, sorted by (domain, relativePath): one root row per domain, every parent
// directory of every file, a few symlinks, and spec.file_count regular files. Sizes are plaintext
// sizes; digest and encryption_key are left empty (they depend on the stored blob). file_id is set.
std::vector<FileRecord> make_records(const BackupSpec& spec, const DeviceProfile& profile);

// The plaintext of a regular file record: deterministic from the seed and the fileID, record.size
// bytes, starting with a magic that matches the file's extension (SQLite, bplist, JPEG) for
// realism.
Bytes make_content(const FileRecord& record, std::uint32_t seed);

// Apple records a Digest only for system-domain files (format.md §6: none for App*, CameraRoll,
// Media, SysContainer domains).
bool domain_has_digests(std::string_view domain);

}  // namespace bkcheck::testgen
