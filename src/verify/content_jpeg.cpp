// verify --deep, JPEG: the marker walk of the primary image from SOI to its EOI (ITU T.81 B.1):
// each segment's length, a frame header before the first scan, and the entropy-coded data scanned
// for the next marker. What follows the EOI (MPF secondary images, HDR gain maps on iPhones) is
// normal and not read. It proves the structure whole, not each pixel: a flipped bit inside the
// entropy-coded data still decodes (to a wrong block).
#include "content_check.h"

#include "bkcheck/findings.h"

#include <cstring>
#include <string>

namespace bkcheck::detail {
namespace {

ContentOutcome truncated(const std::string& where)
{
    return ContentOutcome::damaged(finding_code::content_media_truncated,
                                   "the JPEG image ends " + where +
                                       ", before its end-of-image marker: the photo was cut short");
}

ContentOutcome corrupt(const std::string& what)
{
    return ContentOutcome::damaged(finding_code::content_media_corrupt,
                                   "the JPEG image is damaged: " + what);
}

std::string at(std::uint64_t offset)
{
    return "at byte " + std::to_string(offset);
}

bool is_frame_header(std::uint8_t marker)
{
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

}  // namespace

ContentOutcome check_jpeg(ContentReader& reader)
{
    std::uint64_t pos = 2;  // after SOI (sniffed)
    bool frame = false, scan = false;
    for (;;) {
        // A marker: 0xFF, any number of 0xFF fill bytes, then its code.
        std::uint8_t byte = 0;
        if (!reader.read(pos, &byte, 1))
            return reader.failed() ? read_failure() : truncated(at(pos));
        if (byte != 0xFF) return corrupt("no marker " + at(pos) + " where one must start");
        std::uint8_t marker = 0xFF;
        while (marker == 0xFF) {
            ++pos;
            if (!reader.read(pos, &marker, 1))
                return reader.failed() ? read_failure() : truncated(at(pos));
        }
        std::uint64_t marker_at = pos - 1;
        ++pos;
        if (marker == 0xD9) {  // EOI
            if (!scan) return corrupt("it ends " + at(marker_at) + " before any image data");
            return ContentOutcome::sound();
        }
        if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) continue;  // no length
        if (marker == 0xD8 || marker == 0x00)
            return corrupt("an unexpected marker " + at(marker_at));
        std::uint8_t length_bytes[2];
        if (!reader.read(pos, length_bytes, 2))
            return reader.failed() ? read_failure() : truncated(at(pos));
        std::uint32_t length = std::uint32_t(length_bytes[0]) << 8 | length_bytes[1];
        if (length < 2)
            return corrupt("a segment of length " + std::to_string(length) + " " + at(pos));
        if (pos + length > reader.size()) return truncated("inside a segment " + at(marker_at));
        if (is_frame_header(marker)) frame = true;
        pos += length;
        if (marker != 0xDA) continue;
        if (!frame) return corrupt("image data " + at(marker_at) + " before any frame header");
        scan = true;
        // Entropy-coded data: up to the next 0xFF that is neither stuffing (FF 00) nor a restart
        // marker (FF D0-D7).
        for (;;) {
            ByteView view = reader.at(pos);
            if (view.empty())
                return reader.failed() ? read_failure() : truncated("inside the image data");
            const void* ff = std::memchr(view.data(), 0xFF, view.size());
            if (ff == nullptr) {
                pos += view.size();
                continue;
            }
            pos += static_cast<std::uint64_t>(static_cast<const std::uint8_t*>(ff) - view.data());
            std::uint8_t next = 0;
            if (!reader.read(pos + 1, &next, 1))
                return reader.failed() ? read_failure() : truncated("inside the image data");
            if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
                pos += 2;
                continue;
            }
            break;  // a marker starts at pos
        }
    }
}

}  // namespace bkcheck::detail
