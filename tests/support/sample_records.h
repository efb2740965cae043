// Small, realistic FileRecords covering every optional field, for index round-trip tests and seeds.
#pragma once

#include "bkcheck/manifest.h"

#include <vector>

namespace bkcheck::test {

inline FileRecord make_record(std::string domain, std::string path, FileKind kind)
{
    FileRecord record;
    record.domain = std::move(domain);
    record.relative_path = std::move(path);
    record.file_id = file_id_for(record.domain, record.relative_path);
    record.kind = kind;
    record.flags = kind == FileKind::File        ? k_flags_file
                   : kind == FileKind::Directory ? k_flags_directory
                                                 : k_flags_symlink;
    record.mode = kind == FileKind::File ? 0100644 : kind == FileKind::Directory ? 040755 : 0120755;
    record.inode = 123456789012ull;
    record.user_id = 501;
    record.group_id = 501;
    record.modified = 1700000000;
    record.status_changed = 1700000100;
    record.born = 1690000000;
    return record;
}

inline std::vector<FileRecord> sample_records()
{
    std::vector<FileRecord> records;
    records.push_back(make_record("HomeDomain", "", FileKind::Directory));
    records.push_back(make_record("HomeDomain", "Library", FileKind::Directory));
    FileRecord sms = make_record("HomeDomain", "Library/SMS/sms.db", FileKind::File);
    sms.size = 4096;
    sms.protection_class = 3;
    sms.digest = Bytes(20, 0xAB);
    sms.encryption_key = Bytes(44, 0x11);
    sms.encryption_key[0] = 3;
    sms.extended_attributes = {{"com.apple.assetsd.UUID", Bytes{1, 2, 3}},
                               {"com.apple.x", Bytes{}}};
    records.push_back(sms);
    FileRecord link = make_record("RootDomain", "Library/Preferences/zone", FileKind::Symlink);
    link.target = "/var/db/timezone/zoneinfo/Europe/London";
    records.push_back(link);
    FileRecord empty =
        make_record("AppDomain-com.example.notes", "Documents/empty.txt", FileKind::File);
    empty.protection_class = 4;
    records.push_back(empty);
    return records;
}

// Attributes decode_mbfile / parse_mbdb give back, compared field by field.
inline bool same_attributes(const FileRecord& a, const FileRecord& b)
{
    return a.mode == b.mode && a.inode == b.inode && a.user_id == b.user_id &&
           a.group_id == b.group_id && a.modified == b.modified &&
           a.status_changed == b.status_changed && a.born == b.born && a.size == b.size &&
           a.protection_class == b.protection_class && a.digest == b.digest &&
           a.encryption_key == b.encryption_key && a.target == b.target &&
           a.extended_attributes == b.extended_attributes;
}

}  // namespace bkcheck::test
