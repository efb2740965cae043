// Real-shaped contents (sample_content.h).
#include "sample_content.h"

#include "random.h"

#include <plist/plist.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <string>

namespace bkcheck::testgen {
namespace {

void put_be(Bytes& out, std::uint64_t value, int bytes)
{
    for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

void append(Bytes& out, std::string_view text)
{
    out.insert(out.end(), text.begin(), text.end());
}
void append(Bytes& out, const Bytes& bytes)
{
    out.insert(out.end(), bytes.begin(), bytes.end());
}

// Random payload without 0xFF, so JPEG entropy-coded data holds no accidental marker.
Bytes payload(std::size_t count, std::uint32_t seed, std::string_view purpose, bool no_ff)
{
    Bytes out = Rng::derive(seed, purpose).bytes(count);
    if (no_ff) std::replace(out.begin(), out.end(), std::uint8_t{0xFF}, std::uint8_t{0xFE});
    return out;
}

Bytes box(std::string_view type, const Bytes& body)
{
    Bytes out;
    put_be(out, body.size() + 8, 4);
    append(out, type);
    append(out, body);
    return out;
}

Bytes full_box(std::string_view type, std::size_t zero_bytes)
{
    return box(type, Bytes(zero_bytes + 4, 0));  // version and flags, then the fields
}

Bytes concat(std::initializer_list<Bytes> parts)
{
    Bytes out;
    for (const Bytes& part : parts) append(out, part);
    return out;
}

std::uint32_t crc32(const std::uint8_t* data, std::size_t size, std::uint32_t crc = 0xFFFFFFFFu)
{
    for (std::size_t i = 0; i < size; ++i) {
        crc ^= data[i];
        for (int k = 0; k < 8; ++k) crc = (crc & 1) ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
    }
    return crc;
}

void png_chunk(Bytes& out, std::string_view type, const Bytes& data)
{
    put_be(out, data.size(), 4);
    std::size_t start = out.size();
    append(out, type);
    append(out, data);
    put_be(out, crc32(out.data() + start, out.size() - start) ^ 0xFFFFFFFFu, 4);
}

void segment(Bytes& out, std::uint8_t marker, const Bytes& body)
{
    out.push_back(0xFF);
    out.push_back(marker);
    put_be(out, body.size() + 2, 2);
    append(out, body);
}

}  // namespace

Bytes sample_sqlite(int rows, std::uint32_t seed, bool wal)
{
    sqlite3* db = nullptr;
    sqlite3_open(":memory:", &db);
    sqlite3_exec(db,
                 "PRAGMA page_size=4096; CREATE TABLE message (ROWID INTEGER PRIMARY KEY, guid "
                 "TEXT, text TEXT, date INTEGER); CREATE INDEX message_idx_date ON message(date);",
                 nullptr, nullptr, nullptr);
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    sqlite3_stmt* insert = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO message (guid, text, date) VALUES (?, ?, ?)", -1, &insert,
                       nullptr);
    Rng rng = Rng::derive(seed, "sqlite");
    for (int i = 0; i < rows; ++i) {
        char guid[40];
        std::snprintf(guid, sizeof guid, "%016llx-%08x",
                      static_cast<unsigned long long>(rng.next()), static_cast<unsigned>(i));
        std::string text = "message " + std::to_string(i) + " " + std::to_string(rng.next()) + " " +
                           std::to_string(rng.next()) + " see you at eight";
        sqlite3_bind_text(insert, 1, guid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 2, text.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(insert, 3, static_cast<sqlite3_int64>(rng.below(1u << 30)));
        sqlite3_step(insert);
        sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_int64 size = 0;
    unsigned char* image = sqlite3_serialize(db, "main", &size, 0);
    Bytes out(image, image + size);
    sqlite3_free(image);
    sqlite3_close(db);
    if (wal && out.size() > 19) out[18] = out[19] = 2;
    return out;
}

Bytes sample_plist(bool keyed, bool binary)
{
    plist_t root = plist_new_dict();
    if (keyed) {
        // NSKeyedArchiver: $top refers to $objects by UID; object 0 is "$null".
        plist_dict_set_item(root, "$archiver", plist_new_string("NSKeyedArchiver"));
        plist_dict_set_item(root, "$version", plist_new_uint(100000));
        plist_t top = plist_new_dict();
        plist_dict_set_item(top, "root", plist_new_uid(1));
        plist_dict_set_item(root, "$top", top);
        plist_t objects = plist_new_array();
        plist_array_append_item(objects, plist_new_string("$null"));
        plist_t object = plist_new_dict();
        plist_dict_set_item(object, "$class", plist_new_uid(3));
        plist_dict_set_item(object, "title", plist_new_uid(2));
        plist_array_append_item(objects, object);
        plist_array_append_item(objects, plist_new_string("Groceries"));
        plist_t klass = plist_new_dict();
        plist_dict_set_item(klass, "$classname", plist_new_string("ICNote"));
        plist_t classes = plist_new_array();
        plist_array_append_item(classes, plist_new_string("ICNote"));
        plist_array_append_item(classes, plist_new_string("NSObject"));
        plist_dict_set_item(klass, "$classes", classes);
        plist_array_append_item(objects, klass);
        plist_dict_set_item(root, "$objects", objects);
    } else {
        plist_dict_set_item(root, "AutoLockTime", plist_new_uint(60));
        plist_dict_set_item(root, "WallpaperName", plist_new_string("Dune"));
        plist_dict_set_item(root, "LowPowerMode", plist_new_bool(0));
    }
    char* data = nullptr;
    std::uint32_t length = 0;
    if (binary) {
        plist_to_bin(root, &data, &length);
    } else {
        plist_to_xml(root, &data, &length);
    }
    Bytes out(reinterpret_cast<std::uint8_t*>(data),
              reinterpret_cast<std::uint8_t*>(data) + length);
    if (binary) {
        plist_to_bin_free(data);
    } else {
        plist_to_xml_free(data);
    }
    plist_free(root);
    return out;
}

Bytes sample_jpeg(std::size_t scan_bytes, std::uint32_t seed, bool trailing)
{
    Bytes out{0xFF, 0xD8};
    Bytes app1;
    append(app1, std::string_view("Exif\0\0", 6));
    append(app1, payload(200, seed, "jpeg-exif", false));
    segment(out, 0xE1, app1);
    segment(out, 0xDB, payload(65, seed, "jpeg-dqt", false));  // DQT
    segment(out, 0xC0, Bytes{8, 0x0F, 0xC0, 0x0B, 0xD0, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1});
    segment(out, 0xC4, payload(30, seed, "jpeg-dht", false));          // DHT
    segment(out, 0xDA, Bytes{3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3F, 0});  // SOS
    append(out, payload(scan_bytes, seed, "jpeg-scan", true));
    out.push_back(0xFF);
    out.push_back(0xD9);  // EOI
    if (trailing)
        append(out, sample_jpeg(std::min<std::size_t>(scan_bytes / 8, 4096), seed + 1, false));
    return out;
}

Bytes sample_png(std::size_t data_bytes, std::uint32_t seed)
{
    Bytes out{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    png_chunk(out, "IHDR", Bytes{0, 0, 4, 0, 0, 0, 3, 0, 8, 6, 0, 0, 0});
    Bytes data = payload(data_bytes, seed, "png", false);
    for (std::size_t at = 0; at < data.size(); at += 65536) {
        std::size_t n = std::min<std::size_t>(65536, data.size() - at);
        png_chunk(out, "IDAT",
                  Bytes(data.begin() + static_cast<std::ptrdiff_t>(at),
                        data.begin() + static_cast<std::ptrdiff_t>(at + n)));
    }
    png_chunk(out, "IEND", {});
    return out;
}

Bytes sample_movie(std::size_t mdat_bytes, std::uint32_t seed, bool quicktime)
{
    Bytes stbl =
        box("stbl", concat({full_box("stsd", 4), full_box("stts", 4), full_box("stco", 4)}));
    Bytes trak = box("trak", concat({full_box("tkhd", 80),
                                     box("mdia", concat({full_box("mdhd", 20), full_box("hdlr", 21),
                                                         box("minf", stbl)}))}));
    Bytes moov = box("moov", concat({full_box("mvhd", 96), trak}));
    Bytes mdat = box("mdat", payload(mdat_bytes, seed, "movie", false));
    if (quicktime) return concat({box("wide", {}), mdat, moov});
    Bytes ftyp;
    append(ftyp, std::string_view("isom\0\0\2\0isomiso2avc1mp41", 24));
    return concat({box("ftyp", ftyp), moov, mdat});
}

Bytes sample_heic(std::size_t mdat_bytes, std::uint32_t seed)
{
    Bytes ftyp;
    append(ftyp, std::string_view("heic\0\0\0\0mif1heic", 16));
    Bytes meta_body(4, 0);  // a full box
    append(meta_body, full_box("hdlr", 21));
    append(meta_body, full_box("pitm", 2));
    append(meta_body, full_box("iloc", 10));
    append(meta_body, box("iprp", box("ipco", full_box("ispe", 8))));
    Bytes mdat = box("mdat", payload(mdat_bytes, seed, "heic", false));
    return concat({box("ftyp", ftyp), box("meta", meta_body), mdat});
}

std::vector<BackupSpec::ChosenFile> sample_files(std::uint64_t total_bytes, std::uint32_t seed)
{
    std::vector<BackupSpec::ChosenFile> files;
    Rng rng = Rng::derive(seed, "sample-files");
    std::uint64_t made = 0;
    for (unsigned i = 0; made < total_bytes || i < 8; ++i) {
        char name[96];
        BackupSpec::ChosenFile file;
        switch (i % 8) {
            case 0:
                file.domain = "HomeDomain";
                std::snprintf(name, sizeof name, "Library/SMS/sms%u.db", i / 8);
                file.content = sample_sqlite(200 + static_cast<int>(rng.below(20000)), seed + i);
                break;
            case 1:
                file.domain = "AppDomain-com.apple.mobilenotes";
                std::snprintf(name, sizeof name, "Library/Preferences/note%u.plist", i / 8);
                file.content = sample_plist(true, true);
                break;
            case 2:
                file.domain = "HomeDomain";
                std::snprintf(name, sizeof name, "Library/Preferences/com.apple.set%u.plist",
                              i / 8);
                file.content = sample_plist(false, i % 16 == 2);
                break;
            case 3:
            case 4:
                file.domain = "CameraRollDomain";
                std::snprintf(name, sizeof name, "Media/DCIM/100APPLE/IMG_%04u.JPG", i);
                file.content = sample_jpeg(100'000 + rng.below(3'000'000), seed + i);
                break;
            case 5:
                file.domain = "CameraRollDomain";
                std::snprintf(name, sizeof name, "Media/DCIM/100APPLE/IMG_%04u.HEIC", i);
                file.content = sample_heic(100'000 + rng.below(2'000'000), seed + i);
                break;
            case 6:
                file.domain = "HomeDomain";
                std::snprintf(name, sizeof name, "Library/Caches/Snapshots/shot%u.png", i);
                file.content = sample_png(20'000 + rng.below(500'000), seed + i);
                break;
            default:
                file.domain = "CameraRollDomain";
                std::snprintf(name, sizeof name, "Media/DCIM/100APPLE/IMG_%04u.%s", i,
                              i % 16 == 7 ? "MOV" : "MP4");
                file.content =
                    sample_movie(1'000'000 + rng.below(30'000'000), seed + i, i % 16 == 7);
                break;
        }
        file.relative_path = name;
        made += file.content.size();
        files.push_back(std::move(file));
    }
    return files;
}

}  // namespace bkcheck::testgen
