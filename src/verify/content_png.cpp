// verify --deep, PNG: every chunk's length and CRC-32 (PNG spec §5.3) from IHDR to IEND. Apple's
// CgBI chunk may come before IHDR (iOS-optimised PNGs). Bytes after IEND are not read. A flipped
// byte anywhere in a chunk, image data included, fails its CRC.
#include "content_check.h"

#include "bkcheck/findings.h"

#include <array>
#include <cctype>
#include <string>

namespace bkcheck::detail {
namespace {

// The CRC-32 of ISO 3309 / zlib (polynomial 0xEDB88320), eight bytes a step ("slicing-by-8"):
// a PNG's every byte goes through it, and a byte a step ran at a third of the speed of reading.
using CrcTables = std::array<std::array<std::uint32_t, 256>, 8>;

const CrcTables& crc_tables()
{
    static const CrcTables tables = [] {
        CrcTables t{};
        for (std::uint32_t n = 0; n < 256; ++n) {
            std::uint32_t c = n;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[0][n] = c;
        }
        for (std::uint32_t n = 0; n < 256; ++n) {
            for (std::size_t k = 1; k < 8; ++k)
                t[k][n] = t[0][t[k - 1][n] & 0xFF] ^ (t[k - 1][n] >> 8);
        }
        return t;
    }();
    return tables;
}

std::uint32_t crc_update(std::uint32_t crc, ByteView bytes)
{
    const CrcTables& t = crc_tables();
    const std::uint8_t* p = bytes.data();
    std::size_t n = bytes.size();
    for (; n >= 8; p += 8, n -= 8) {
        std::uint32_t low = crc ^ (std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 |
                                   std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24);
        std::uint32_t high = std::uint32_t(p[4]) | std::uint32_t(p[5]) << 8 |
                             std::uint32_t(p[6]) << 16 | std::uint32_t(p[7]) << 24;
        crc = t[7][low & 0xFF] ^ t[6][(low >> 8) & 0xFF] ^ t[5][(low >> 16) & 0xFF] ^
              t[4][low >> 24] ^ t[3][high & 0xFF] ^ t[2][(high >> 8) & 0xFF] ^
              t[1][(high >> 16) & 0xFF] ^ t[0][high >> 24];
    }
    for (; n > 0; ++p, --n) crc = t[0][(crc ^ *p) & 0xFF] ^ (crc >> 8);
    return crc;
}

std::uint32_t be32(const std::uint8_t* p)
{
    return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3];
}

ContentOutcome truncated(std::uint64_t offset)
{
    return ContentOutcome::damaged(finding_code::content_media_truncated,
                                   "the PNG image ends at byte " + std::to_string(offset) +
                                       ", before its IEND chunk: the image was cut short");
}

ContentOutcome corrupt(const std::string& what)
{
    return ContentOutcome::damaged(finding_code::content_media_corrupt,
                                   "the PNG image is damaged: " + what);
}

}  // namespace

ContentOutcome check_png(ContentReader& reader)
{
    std::uint64_t pos = 8;  // after the signature (sniffed)
    bool first = true, header = false;
    for (;;) {
        std::uint8_t head[8];
        if (!reader.read(pos, head, sizeof head))
            return reader.failed() ? read_failure() : truncated(pos);
        std::uint32_t length = be32(head);
        std::string type(reinterpret_cast<const char*>(head) + 4, 4);
        for (char c : type) {
            if (!std::isalpha(static_cast<unsigned char>(c)))
                return corrupt("no chunk starts at byte " + std::to_string(pos));
        }
        if (length > 0x7FFFFFFFu)
            return corrupt("chunk " + type + " claims " + std::to_string(length) + " bytes");
        if (first && type != "IHDR" && type != "CgBI")
            return corrupt("the first chunk is " + type + ", not IHDR");
        if (type == "IHDR") header = true;
        if (!header && type != "CgBI" && type != "IHDR")
            return corrupt("chunk " + type + " comes before IHDR");
        first = false;
        std::uint64_t data = pos + 8;
        if (data + length + 4 > reader.size()) return truncated(reader.size());
        std::uint32_t crc = crc_update(0xFFFFFFFFu, ByteView(head + 4, 4));
        for (std::uint64_t at = data, left = length; left > 0;) {
            ByteView view = reader.at(at);
            if (view.empty()) return reader.failed() ? read_failure() : truncated(at);
            if (view.size() > left) view = view.subspan(0, static_cast<std::size_t>(left));
            crc = crc_update(crc, view);
            at += view.size(), left -= view.size();
        }
        std::uint8_t stored[4];
        if (!reader.read(data + length, stored, 4))
            return reader.failed() ? read_failure() : truncated(data + length);
        if ((crc ^ 0xFFFFFFFFu) != be32(stored)) {
            return corrupt("chunk " + type + " at byte " + std::to_string(pos) +
                           " fails its CRC: its bytes changed");
        }
        if (type == "IEND") return ContentOutcome::sound();
        pos = data + length + 4;
    }
}

}  // namespace bkcheck::detail
