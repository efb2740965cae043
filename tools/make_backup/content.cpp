#include "content.h"

#include "random.h"

#include <algorithm>
#include <cstdio>
#include <unordered_set>

namespace bkcheck::testgen {
namespace {

constexpr std::int64_t k_ios17_backup_date = 1717236900;  // 2024-06-01 10:15:00 UTC
constexpr std::int64_t k_ios9_backup_date = 1552212345;   // 2019-03-10 10:05:45 UTC
constexpr std::uint32_t k_mobile_uid = 501;

// A hand-picked file set with the shapes the verifier cares about: 0-byte, 1-byte, whole-block
// sizes, xattrs, every protection class 1-4, system and app domains. Bulk files follow after these.
struct FixedFile {
    const char* domain;
    const char* path;
    std::uint64_t size;
    std::uint32_t protection_class;
    bool xattrs;
};

constexpr FixedFile k_fixed_files[] = {
    {"HomeDomain", "Library/SMS/sms.db", 40960, 3, false},
    {"CameraRollDomain", "Media/DCIM/100APPLE/IMG_0001.HEIC", 3071, 3, true},
    {"AppDomain-com.example.notes", "Documents/empty.txt", 0, 3, false},
    {"AppDomainGroup-group.com.example.shared",
     "Library/Preferences/group.com.example.shared.plist", 48, 3, false},
    {"RootDomain", "Library/Preferences/com.apple.preferences.network.plist", 256, 4, false},
    {"WirelessDomain", "Library/Databases/CellularUsage.db", 8192, 4, false},
    {"HomeDomain", "Library/CallHistoryDB/CallHistory.storedata", 12288, 1, false},
    {"KeyboardDomain", "Library/Keyboard/en-dynamic.lm/dynamic-lexicon.dat", 1, 3, false},
    {"AppDomain-com.example.notes", "Documents/Notes.sqlite", 16384, 2, false},
    {"AppDomainPlugin-com.example.notes.widget",
     "Library/Preferences/com.example.notes.widget.plist", 160, 3, false},
    {"AppDomainGroup-group.com.example.shared", "Shared.sqlite", 1024, 3, false},
    {"KeychainDomain", "keychain-backup.plist", 2003, 4, false},
    {"SystemPreferencesDomain", "SystemConfiguration/preferences.plist", 1500, 4, false},
    {"HomeDomain", "Library/Preferences/com.apple.springboard.plist", 777, 4, false},
    {"AppDomain-com.example.notes", "Library/Preferences/com.example.notes.plist", 333, 3, false},
    {"CameraRollDomain", "Media/PhotoData/Photos.sqlite", 32768, 3, false},
    {"CameraRollDomain", "Media/DCIM/100APPLE/IMG_0002.JPG", 5000, 3, true},
    {"MediaDomain", "Library/SMS/Attachments/0a/00/IMG_0003.jpeg", 2500, 3, false},
    {"HomeDomain", "Library/AddressBook/AddressBook.sqlitedb", 20480, 2, false},
    {"HomeDomain", "Library/Notes/notes.sqlite", 4096, 3, false},
    {"DatabaseDomain", "dhcpclient/leases/en0.plist", 400, 4, false},
    {"HealthDomain", "Health/healthdb.sqlite", 24576, 2, false},
    {"HomeDomain", "Library/Safari/Bookmarks.db", 9000, 3, false},
    {"HomeDomain", "Library/Cookies/Cookies.binarycookies", 32, 3, false},
    {"HomeDomain", "Library/Preferences/.GlobalPreferences.plist", 0, 4, false},
};

struct FixedLink {
    const char* domain;
    const char* path;
    const char* target;
};

constexpr FixedLink k_fixed_links[] = {
    {"DatabaseDomain", "timezone/localtime", "/var/db/timezone/zoneinfo/Europe/London"},
    {"HomeDomain", "Library/Preferences/com.apple.carrier.plist",
     "/var/mobile/Library/Carrier Bundles/Overlay/iPhone/carrier.plist"},
    {"RootDomain", "Library/Caches/locationd/consolidated.db",
     "/private/var/root/Library/Caches/locationd/cache.db"},
};

// Where bulk files go: 100 per folder, so a large index has about one directory row per 100 files.
struct BulkTemplate {
    const char* domain;
    const char* folder;  // printf pattern taking the folder number
    const char* name;    // printf pattern taking the file number
};

constexpr BulkTemplate k_bulk[] = {
    {"HomeDomain", "Library/Caches/com.apple.mobileslideshow/%04u", "entry-%07u.plist"},
    {"CameraRollDomain", "Media/DCIM/%04uAPPLE", "IMG_%07u.JPG"},
    {"AppDomain-com.example.notes", "Documents/Attachments/%04u", "note-%07u.txt"},
    {"AppDomainGroup-group.com.example.shared", "Library/Caches/%04u", "blob-%07u.bin"},
    {"MediaDomain", "Library/SMS/Attachments/%04u", "attachment-%07u.jpeg"},
    {"RootDomain", "Library/Caches/locationd/tiles/%04u", "tile-%07u.dat"},
    {"WirelessDomain", "Library/Logs/CellularUsage/%04u", "usage-%07u.log"},
};

constexpr std::uint64_t k_bulk_sizes[] = {0,   1,    15,   16,   17,   64,   100,   255,
                                          512, 1000, 2048, 4096, 5000, 8192, 20000, 65536};

bool starts_with(std::string_view text, std::string_view prefix)
{
    return text.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view text, std::string_view suffix)
{
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool is_root_owned(std::string_view domain)
{
    return domain == "RootDomain" || domain == "WirelessDomain" || domain == "DatabaseDomain" ||
           domain == "SystemPreferencesDomain" || domain == "KeychainDomain";
}

std::string hex_upper(Rng& rng, std::size_t digits)
{
    static const char k_digits[] = "0123456789ABCDEF";
    std::string out;
    for (std::size_t i = 0; i < digits; ++i) out.push_back(k_digits[rng.below(16)]);
    return out;
}

std::string decimal(Rng& rng, std::size_t digits)
{
    std::string out;
    for (std::size_t i = 0; i < digits; ++i) out.push_back(static_cast<char>('0' + rng.below(10)));
    return out;
}

FileRecord base_record(std::string domain, std::string path, FileKind kind)
{
    FileRecord record;
    record.file_id = file_id_for(domain, path);
    record.domain = std::move(domain);
    record.relative_path = std::move(path);
    record.kind = kind;
    switch (kind) {
        case FileKind::File:
            record.flags = k_flags_file;
            record.mode = k_mode_file | 0644;
            break;
        case FileKind::Directory:
            record.flags = k_flags_directory;
            record.mode = k_mode_directory | 0755;
            break;
        case FileKind::Symlink:
            record.flags = k_flags_symlink;
            record.mode = k_mode_symlink | 0755;
            break;
        case FileKind::Unknown:
            break;
    }
    bool root_owned = is_root_owned(record.domain);
    record.user_id = root_owned ? 0 : k_mobile_uid;
    record.group_id = root_owned ? 0 : k_mobile_uid;
    return record;
}

// Adds the domain root and every ancestor folder of `path` that is not there yet.
void add_parents(const std::string& domain, const std::string& path,
                 std::unordered_set<std::string>& seen, std::vector<FileRecord>& records)
{
    std::string key = domain + '\n';
    if (seen.insert(key).second) records.push_back(base_record(domain, "", FileKind::Directory));
    for (std::size_t slash = path.find('/'); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
        std::string folder = path.substr(0, slash);
        if (seen.insert(key + folder).second)
            records.push_back(base_record(domain, folder, FileKind::Directory));
    }
}

void add_file(std::string domain, std::string path, std::uint64_t size,
              std::uint32_t protection_class, std::unordered_set<std::string>& seen,
              std::vector<FileRecord>& records)
{
    add_parents(domain, path, seen, records);
    FileRecord record = base_record(std::move(domain), std::move(path), FileKind::File);
    record.size = size;
    record.protection_class = protection_class;
    records.push_back(std::move(record));
}

// BackupSpec::hostile_names: what a crafted backup could hold to act on the terminal of whoever
// checks it.
void add_hostile_records(std::unordered_set<std::string>& seen, std::vector<FileRecord>& records)
{
    add_file("HomeDomain",
             "Library/\x1b[2J\x1b[H\x1b]0;pwned\x07"
             "cleared.txt",
             10, 3, seen, records);
    add_file("HomeDomain", "Library/x\nVerdict: ok. The backup should restore.\r\x1b[Kfake.txt", 10,
             3, seen, records);
    add_file("HomeDomain",
             "Library/c1\xc2\x9b"
             "31m\x9b"
             "7m\xff\xfe\x7f.txt",
             10, 3, seen, records);
    add_file("AppDomain-\x1b[7mcom.evil\tapp", "Documents/a.txt", 10, 3, seen, records);
    add_parents("HomeDomain", "Library/link", seen, records);
    FileRecord link = base_record("HomeDomain", "Library/link", FileKind::Symlink);
    link.target = "\x1b]8;;http://evil/\x1b\\target\x1b]8;;\x1b\\";
    records.push_back(std::move(link));
}

// BackupSpec::clashing_names: names an iOS file system takes and macOS or Windows disks refuse or
// merge (README: "Names on other disks"). Each has its blob.
void add_clashing_records(std::unordered_set<std::string>& seen, std::vector<FileRecord>& records)
{
    bool has_sms = std::any_of(records.begin(), records.end(), [](const FileRecord& record) {
        return record.domain == "HomeDomain" && record.relative_path == "Library/SMS/sms.db";
    });
    if (!has_sms) add_file("HomeDomain", "Library/SMS/sms.db", 100, 3, seen, records);
    add_file("HomeDomain", "Library/SMS/SMS.db", 120, 3, seen, records);    // case
    add_file("HomeDomain", "Library/Notes/a:b.txt", 10, 3, seen, records);  // Windows: ':'
    add_file("HomeDomain", "Library/Notes/draft.", 10, 3, seen, records);   // Windows: trailing dot
    add_file("HomeDomain", "Library/Notes/CON.txt", 10, 3, seen, records);  // Windows: device name
    add_file("HomeDomain", "Library/Notes/caf\xC3\xA9.txt", 11, 3, seen, records);   // NFC
    add_file("HomeDomain", "Library/Notes/cafe\xCC\x81.txt", 12, 3, seen, records);  // NFD
    add_file("HomeDomain", "Library/notes/todo.txt", 10, 3, seen, records);  // a folder's case
}

std::uint32_t bulk_class(Rng& rng)
{
    std::uint64_t roll = rng.below(100);
    if (roll < 5) return 1;
    if (roll < 10) return 2;
    if (roll < 70) return 3;
    return 4;
}

// Modes, owners' times, inodes and xattrs: filled after sorting so they follow the final order.
void fill_attributes(std::vector<FileRecord>& records, const BackupSpec& spec,
                     std::int64_t backup_date)
{
    Rng rng = Rng::derive(spec.seed, "attributes");
    std::uint64_t inode = 100000 + rng.below(900000);
    const std::int64_t earliest = backup_date - 3 * 365 * 86400;
    for (FileRecord& record : records) {
        record.inode = inode;
        inode += 1 + rng.below(40);
        record.born = earliest + static_cast<std::int64_t>(rng.below(2 * 365 * 86400));
        record.modified = record.born + static_cast<std::int64_t>(rng.below(300 * 86400));
        record.status_changed = record.modified + static_cast<std::int64_t>(rng.below(600));
        if (record.kind == FileKind::Directory) {
            if (record.relative_path.empty()) {
                record.protection_class = 0;
            } else {
                record.protection_class = rng.below(4) == 0 ? 4 : 3;
                if (rng.below(10) == 0) record.mode = k_mode_directory | 0700;
            }
        } else if (record.kind == FileKind::File && record.protection_class <= 2) {
            record.mode =
                k_mode_file | 0600;  // Complete-protection files are private in real backups
        }
    }
}

void add_xattrs(FileRecord& record, std::uint32_t seed)
{
    Rng rng = Rng::derive(seed, "xattr:" + record.file_id);
    std::string uuid = hex_upper(rng, 8) + "-" + hex_upper(rng, 4) + "-" + hex_upper(rng, 4) + "-" +
                       hex_upper(rng, 4) + "-" + hex_upper(rng, 12);
    record.extended_attributes.emplace_back("com.apple.assetsd.UUID",
                                            Bytes(uuid.begin(), uuid.end()));
    record.extended_attributes.emplace_back("com.apple.assetsd.customCreationDate", rng.bytes(8));
}

}  // namespace

bool domain_has_digests(std::string_view domain)
{
    return !(starts_with(domain, "AppDomain") || starts_with(domain, "SysContainerDomain") ||
             starts_with(domain, "SysSharedContainerDomain") || domain == "CameraRollDomain" ||
             domain == "MediaDomain");
}

std::string udid_for(const BackupSpec& spec)
{
    if (!spec.udid.empty()) return spec.udid;
    Rng rng = Rng::derive(spec.seed, "udid");
    if (spec.format == IndexFormat::ManifestMbdb) {
        std::string hex = hex_upper(rng, 40);  // iPhone 6s-era UDIDs: 40 lowercase hex (§1.2)
        std::transform(hex.begin(), hex.end(), hex.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        return hex;
    }
    return "00008030-" + hex_upper(rng, 16);  // A13 (iPhone12,1) shape: 8 hex, '-', 16 hex
}

DeviceProfile device_profile(const BackupSpec& spec)
{
    DeviceProfile profile;
    Rng rng = Rng::derive(spec.seed, "device");
    profile.udid = udid_for(spec);
    profile.serial_number = "F" + hex_upper(rng, 11);
    profile.imei = "35" + decimal(rng, 13);
    profile.iccid = "8944" + decimal(rng, 15);
    profile.phone_number = "+44 7700 " + decimal(rng, 6);
    profile.app_bundle_ids = {"com.example.notes"};
    profile.app_group_ids = {"group.com.example.shared"};
    profile.app_plugin_ids = {"com.example.notes.widget"};
    if (spec.format == IndexFormat::ManifestDb) {
        profile.device_name = "Test iPhone 11";
        profile.product_type = "iPhone12,1";
        profile.product_name = "iPhone 11";
        profile.product_version = "17.5.1";
        profile.build_version = "21F90";
        profile.itunes_version = "12.13.2";
        profile.status_version = "3.3";
        profile.manifest_version = "10.0";
        profile.system_domains_version = "24.0";
        profile.backup_date = k_ios17_backup_date;
    } else {
        profile.device_name = "Test iPhone 6s";
        profile.product_type = "iPhone8,1";
        profile.product_name = "iPhone 6s";
        profile.product_version = "9.3.6";
        profile.build_version = "13G37";
        profile.itunes_version = "12.5.0";
        profile.status_version = "2.4";
        profile.manifest_version = "9.1";
        profile.system_domains_version = "20.0";
        profile.backup_date = k_ios9_backup_date;
    }
    if (spec.backup_date != 0) profile.backup_date = spec.backup_date;
    if (spec.hostile_names)
        profile.device_name =
            "Evil\x1b]0;pwned\x07\x1b[2J\nVerdict: ok\xc2\x9b"
            "31m iPhone";
    return profile;
}

std::vector<FileRecord> make_records(const BackupSpec& spec, const DeviceProfile& profile)
{
    std::vector<FileRecord> records;
    std::size_t wanted = spec.file_count > 0 ? static_cast<std::size_t>(spec.file_count) : 0;
    records.reserve(wanted + wanted / 50 + 64);
    std::unordered_set<std::string> seen;
    Rng rng = Rng::derive(spec.seed, "records");

    std::size_t made = 0;
    for (const FixedFile& fixed : k_fixed_files) {
        if (made == wanted) break;
        add_file(fixed.domain, fixed.path, std::min(fixed.size, spec.max_blob_bytes),
                 fixed.protection_class, seen, records);
        if (fixed.xattrs) add_xattrs(records.back(), spec.seed);
        ++made;
    }
    char folder[160];
    char name[80];
    for (std::size_t bulk = 0; made < wanted; ++made, ++bulk) {
        const BulkTemplate& tmpl = k_bulk[bulk % std::size(k_bulk)];
        unsigned number = static_cast<unsigned>(bulk / std::size(k_bulk));
        std::snprintf(folder, sizeof folder, tmpl.folder, number / 100 + 100);
        std::snprintf(name, sizeof name, tmpl.name, number);
        std::uint64_t size =
            std::min(k_bulk_sizes[rng.below(std::size(k_bulk_sizes))], spec.max_blob_bytes);
        if (spec.bulk_file_bytes != 0) size = spec.bulk_file_bytes;
        add_file(tmpl.domain, std::string(folder) + "/" + name, size, bulk_class(rng), seen,
                 records);
    }
    if (wanted > 0) {
        for (const FixedLink& link : k_fixed_links) {
            add_parents(link.domain, link.path, seen, records);
            FileRecord record = base_record(link.domain, link.path, FileKind::Symlink);
            record.target = link.target;
            records.push_back(std::move(record));
        }
    }
    for (const BackupSpec::ChosenFile& chosen : spec.chosen_files)
        add_file(chosen.domain, chosen.relative_path, chosen.content.size(), 3, seen, records);
    if (wanted > 0 && spec.hostile_names) add_hostile_records(seen, records);
    if (wanted > 0 && spec.clashing_names) add_clashing_records(seen, records);
    std::sort(records.begin(), records.end(), [](const FileRecord& a, const FileRecord& b) {
        return a.domain != b.domain ? a.domain < b.domain : a.relative_path < b.relative_path;
    });
    fill_attributes(records, spec, profile.backup_date);
    return records;
}

Bytes make_content(const FileRecord& record, std::uint32_t seed)
{
    Bytes content(record.size);
    Rng rng = Rng::derive(seed, "content:" + record.file_id);
    rng.fill(content.data(), content.size());
    // A recognisable first few bytes, as real files have; random bytes after it.
    std::string_view path = record.relative_path;
    std::string_view magic;
    if (ends_with(path, ".db") || ends_with(path, ".sqlite") || ends_with(path, ".sqlitedb") ||
        ends_with(path, ".storedata")) {
        magic = std::string_view("SQLite format 3\0", 16);
    } else if (ends_with(path, ".plist")) {
        magic = "bplist00";
    } else if (ends_with(path, ".JPG") || ends_with(path, ".jpeg")) {
        magic = "\xFF\xD8\xFF\xE0";
    } else if (ends_with(path, ".txt") || ends_with(path, ".log")) {
        std::string line = "bkcheck sample " + record.domain + "-" + record.relative_path + "\n";
        for (std::size_t i = 0; i < content.size(); ++i)
            content[i] = static_cast<std::uint8_t>(line[i % line.size()]);
        return content;
    }
    // copy_n, not memcpy: most files have no magic, and memcpy from its null data() is undefined
    // even for 0 bytes (UBSan).
    std::copy_n(magic.begin(), std::min(magic.size(), content.size()), content.begin());
    return content;
}

bool is_hostile_name(std::string_view name)
{
    return std::any_of(name.begin(), name.end(), [](char c) {
        auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte >= 0x7f;
    });
}

}  // namespace bkcheck::testgen
