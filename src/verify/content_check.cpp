// verify --deep: telling a file's type by its first bytes, the reader the decoders share, and the
// dispatch to them (content_check.h).
#include "content_check.h"

#include "bkcheck/findings.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace bkcheck::detail {
namespace {

bool starts_with(ByteView bytes, std::string_view magic)
{
    return bytes.size() >= magic.size() &&
           std::memcmp(bytes.data(), magic.data(), magic.size()) == 0;
}

std::uint32_t be32(const std::uint8_t* p)
{
    return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3];
}

// An XML property list: optional BOM and blanks, "<?xml", and a plist doctype or root in the first
// bytes (an XML file of another kind is not one).
bool is_xml_plist(ByteView head)
{
    std::string_view text(reinterpret_cast<const char*>(head.data()), head.size());
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
        text.remove_prefix(1);
    if (text.substr(0, 6) == "<plist") return true;
    return text.substr(0, 5) == "<?xml" &&
           (text.find("<!DOCTYPE plist") != std::string_view::npos ||
            text.find("<plist") != std::string_view::npos);
}

// Box types a QuickTime movie may start with (it needs no ftyp); the size must fit the file.
bool is_quicktime_start(ByteView head, std::uint64_t file_size)
{
    if (head.size() < 8) return false;
    std::uint32_t size = be32(head.data());
    std::string_view type(reinterpret_cast<const char*>(head.data()) + 4, 4);
    bool known = type == "moov" || type == "mdat" || type == "wide" || type == "free" ||
                 type == "skip" || type == "pnot";
    return known && (size == 0 || size == 1 || (size >= 8 && size <= file_size));
}

bool is_heif_brand(std::string_view brand)
{
    return brand == "heic" || brand == "heix" || brand == "heim" || brand == "heis" ||
           brand == "hevc" || brand == "hevx" || brand == "mif1" || brand == "msf1" ||
           brand == "avif";
}

std::string lower(std::string_view text)
{
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The content.type_mismatch message. A name that promises a type whose signature is gone is the
// one case where the name tells something the content cannot: the file's first bytes are most
// likely damaged (zeroed, overwritten), and the person needs to hear what that means for the
// restore. Still a warning: the name alone never proves damage (apps name files loosely).
std::string mismatch_message(ContentType named, ContentType found, ByteView head)
{
    std::string says = std::string("the name says ") + content_type_name(named);
    if (found != ContentType::Unknown) {
        return says + ", the content is " + content_type_name(found) +
               " and was checked as one (a file saved under another type's name is not damage "
               "by itself)";
    }
    std::size_t signature = std::min<std::size_t>(head.size(), 16);
    bool zeroed = signature > 0 && std::all_of(head.begin(), head.begin() + signature,
                                               [](std::uint8_t byte) { return byte == 0; });
    std::string start =
        zeroed ? "its first " + std::to_string(signature) +
                     " bytes are zeros where the signature must be: the start of the file is "
                     "very likely damaged"
               : "its first bytes are not that type's signature: the start of the file may be "
                 "damaged (or it is another kind of file under that name)";
    return says + ", but " + start +
           ". If it is damaged, the app will not be able to open it after a restore and what it "
           "held is lost or partly lost; its content could not be checked (level length)";
}

}  // namespace

ContentType sniff_content(ByteView head, std::uint64_t file_size)
{
    if (starts_with(head, std::string_view("SQLite format 3\0", 16))) return ContentType::Sqlite;
    if (starts_with(head, "bplist00")) return ContentType::BinaryPlist;
    if (starts_with(head, "\xFF\xD8\xFF")) return ContentType::Jpeg;
    if (starts_with(head, "\x89PNG\r\n\x1A\n")) return ContentType::Png;
    if (head.size() >= 12 && std::memcmp(head.data() + 4, "ftyp", 4) == 0) {
        std::uint32_t size = be32(head.data());
        if (size < 8 || size > file_size) return ContentType::Unknown;
        std::string_view brand(reinterpret_cast<const char*>(head.data()) + 8, 4);
        return is_heif_brand(brand) ? ContentType::Heif : ContentType::IsoMedia;
    }
    if (is_quicktime_start(head, file_size)) return ContentType::IsoMedia;
    if (is_xml_plist(head)) return ContentType::XmlPlist;
    return ContentType::Unknown;
}

ContentType type_named(std::string_view relative_path)
{
    std::size_t dot = relative_path.rfind('.');
    std::size_t slash = relative_path.rfind('/');
    if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash))
        return ContentType::Unknown;
    std::string ext = lower(relative_path.substr(dot + 1));
    if (ext == "sqlite" || ext == "sqlitedb" || ext == "sqlite3") return ContentType::Sqlite;
    if (ext == "plist") return ContentType::BinaryPlist;
    if (ext == "jpg" || ext == "jpeg") return ContentType::Jpeg;
    if (ext == "png") return ContentType::Png;
    if (ext == "heic" || ext == "heif") return ContentType::Heif;
    if (ext == "mov" || ext == "mp4" || ext == "m4a" || ext == "m4v") return ContentType::IsoMedia;
    return ContentType::Unknown;
}

bool type_fits_name(ContentType named, ContentType found)
{
    if (named == ContentType::Unknown || named == found) return true;
    auto plist = [](ContentType t) {
        return t == ContentType::BinaryPlist || t == ContentType::XmlPlist;
    };
    return plist(named) && plist(found);
}

const char* content_type_name(ContentType type)
{
    switch (type) {
        case ContentType::Sqlite:
            return "SQLite database";
        case ContentType::BinaryPlist:
            return "binary property list";
        case ContentType::XmlPlist:
            return "XML property list";
        case ContentType::Jpeg:
            return "JPEG image";
        case ContentType::Png:
            return "PNG image";
        case ContentType::Heif:
            return "HEIC/HEIF image";
        case ContentType::IsoMedia:
            return "MOV/MP4 media";
        case ContentType::Unknown:
            break;
    }
    return "no type bkcheck knows";
}

ContentReader::ContentReader(DatabaseSource& source, Bytes& window)
    : m_source(source), m_window(window), m_size(source.size())
{
    if (m_window.size() < k_window_bytes) m_window.resize(k_window_bytes);
}

ByteView ContentReader::at(std::uint64_t offset)
{
    if (m_failed || offset >= m_size) return {};
    if (offset < m_start || offset >= m_start + m_filled) {
        std::size_t count =
            static_cast<std::size_t>(std::min<std::uint64_t>(m_window.size(), m_size - offset));
        m_filled = 0;
        if (!m_source.read(m_window.data(), count, offset)) {
            m_failed = true;
            return {};
        }
        m_start = offset;
        m_filled = count;
    }
    std::size_t skip = static_cast<std::size_t>(offset - m_start);
    return ByteView(m_window.data() + skip, m_filled - skip);
}

bool ContentReader::read(std::uint64_t offset, std::uint8_t* out, std::size_t count)
{
    if (offset > m_size || count > m_size - offset) return false;
    while (count > 0) {
        ByteView view = at(offset);
        if (view.empty()) return false;
        std::size_t take = std::min(view.size(), count);
        std::memcpy(out, view.data(), take);
        out += take, offset += take, count -= take;
    }
    return true;
}

ContentOutcome read_failure()
{
    return ContentOutcome::damaged(finding_code::blob_unreadable,
                                   "the content could not be read back to decode it");
}

ContentCheck check_content(DatabaseSource& source, std::string_view relative_path, Bytes& window,
                           const WalFinder& wal, bool full_sqlite_check)
{
    ContentCheck check;
    ContentReader reader(source, window);
    if (reader.size() == 0) return check;  // nothing to decode: an empty file is no type
    std::uint8_t head[k_sniff_bytes];
    std::size_t count =
        static_cast<std::size_t>(std::min<std::uint64_t>(reader.size(), sizeof head));
    if (!reader.read(0, head, count)) {
        check.outcome = read_failure();
        return check;
    }
    check.type = sniff_content(ByteView(head, count), reader.size());
    ContentType named = type_named(relative_path);
    if (!type_fits_name(named, check.type))
        check.mismatch = mismatch_message(named, check.type, ByteView(head, count));
    switch (check.type) {
        case ContentType::Sqlite:
            check.outcome = check_sqlite(source, wal ? wal() : nullptr, full_sqlite_check);
            break;
        case ContentType::BinaryPlist:
        case ContentType::XmlPlist:
            check.outcome = check_plist(reader);
            break;
        case ContentType::Jpeg:
            check.outcome = check_jpeg(reader);
            break;
        case ContentType::Png:
            check.outcome = check_png(reader);
            break;
        case ContentType::Heif:
        case ContentType::IsoMedia:
            check.outcome = check_bmff(reader, check.type);
            break;
        case ContentType::Unknown:
            break;
    }
    return check;
}

}  // namespace bkcheck::detail
