// verify --deep, HEIC/HEIF and MOV/MP4/M4A: the ISO-BMFF / QuickTime box walk (ISO 14496-12 §4.2).
// Box sizes must chain to the end of the file (size 1: a 64-bit size follows; size 0: to the end;
// fewer than 8 zero bytes after the last box are padding, not a box cut off), and inside the
// container boxes that hold only boxes, to the end of their parent. Only headers are read: a 2 GiB
// video costs a few hundred small reads. A movie needs its 'moov' (QuickTime needs no 'ftyp'), a
// HEIF image its 'meta', and both an 'mdat' (iPhones put every frame and image there: without it,
// the file was cut at a box boundary). It proves the structure whole and nothing cut off, not each
// frame: a flipped byte inside the media data still plays (a glitch).
#include "content_check.h"

#include "bkcheck/findings.h"

#include <string>

namespace bkcheck::detail {
namespace {

constexpr int k_max_depth = 16;

std::uint64_t be(const std::uint8_t* p, int bytes)
{
    std::uint64_t value = 0;
    for (int i = 0; i < bytes; ++i) value = value << 8 | p[i];
    return value;
}

// Boxes that hold nothing but boxes (after a 4-byte version and flags for full boxes), so their
// children must chain to their end. Others ('udta' may end in a 32-bit zero in QuickTime, 'meta'
// is a full box in ISO files but not in QuickTime's moov) are skipped whole.
int children_offset(std::string_view type, int depth, ContentType file)
{
    if (type == "moov" || type == "trak" || type == "mdia" || type == "minf" || type == "stbl" ||
        type == "dinf" || type == "edts" || type == "mvex" || type == "moof" || type == "traf" ||
        type == "mfra" || type == "iprp" || type == "ipco")
        return 0;
    if (type == "meta" && depth == 0 && file == ContentType::Heif) return 4;
    return -1;
}

struct Walk {
    ContentReader& reader;
    ContentType file;
    bool moov = false, meta = false, moof = false, mdat = false;
    bool idat = false;               // a HEIF image's pixels inside its meta box
    std::string error_code_message;  // filled on the first problem
    std::string_view code;

    bool fail(std::string_view finding, std::string message)
    {
        code = finding;
        error_code_message = std::move(message);
        return false;
    }

    // Whether the `count` (< 8) bytes at `pos` are all zero.
    bool zero_padding(std::uint64_t pos, std::uint64_t count)
    {
        std::uint8_t tail[8] = {};
        if (!reader.read(pos, tail, static_cast<std::size_t>(count))) return false;
        for (std::uint64_t i = 0; i < count; ++i) {
            if (tail[i] != 0) return false;
        }
        return true;
    }

    // The boxes in [begin, end) at `depth`.
    bool boxes(std::uint64_t begin, std::uint64_t end, int depth)
    {
        const bool top = depth == 0;
        for (std::uint64_t pos = begin; pos < end;) {
            std::uint8_t head[16];
            std::uint64_t left = end - pos;
            if (left < 8) {
                // Zero padding shorter than a box header, e.g. QuickTime's 4-byte "size 0"
                // terminator that some writers put after the last atom: nothing is missing.
                if (zero_padding(pos, left)) return true;
                if (reader.failed()) return fail(finding_code::blob_unreadable, "");
                return top ? fail(finding_code::content_media_truncated,
                                  std::to_string(left) +
                                      " stray bytes at the end, where a box "
                                      "should start: the file was cut short")
                           : fail(finding_code::content_media_corrupt,
                                  "stray bytes at the end of a box at byte " + std::to_string(pos));
            }
            if (!reader.read(pos, head, 8)) return fail(finding_code::blob_unreadable, "");
            std::uint64_t size = be(head, 4);
            std::string type(reinterpret_cast<const char*>(head) + 4, 4);
            std::uint64_t header = 8;
            if (size == 1) {
                if (left < 16 || !reader.read(pos + 8, head + 8, 8)) {
                    if (reader.failed()) return fail(finding_code::blob_unreadable, "");
                    return fail(top ? finding_code::content_media_truncated
                                    : finding_code::content_media_corrupt,
                                "box '" + type + "' at byte " + std::to_string(pos) +
                                    " has its 64-bit size cut off");
                }
                size = be(head + 8, 8);
                header = 16;
            } else if (size == 0) {
                size = left;  // to the end
            }
            if (size < header) {
                return fail(finding_code::content_media_corrupt,
                            "box '" + type + "' at byte " + std::to_string(pos) + " claims " +
                                std::to_string(size) + " bytes, less than its own header");
            }
            if (size > left) {
                return top ? fail(finding_code::content_media_truncated,
                                  "box '" + type + "' at byte " + std::to_string(pos) + " needs " +
                                      std::to_string(size) + " bytes, the file has " +
                                      std::to_string(left) + " left: it was cut short")
                           : fail(finding_code::content_media_corrupt,
                                  "box '" + type + "' at byte " + std::to_string(pos) +
                                      " runs past the end of the box that holds it");
            }
            if (top) {
                moov = moov || type == "moov";
                meta = meta || type == "meta";
                moof = moof || type == "moof";
                mdat = mdat || type == "mdat";
            }
            idat = idat || type == "idat";
            int offset = children_offset(type, depth, file);
            if (offset >= 0 && depth + 1 < k_max_depth &&
                !boxes(pos + header + static_cast<std::uint64_t>(offset), pos + size, depth + 1)) {
                // A full box's version and flags past the box's end were caught as stray bytes.
                return false;
            }
            pos += size;
        }
        return true;
    }
};

}  // namespace

ContentOutcome check_bmff(ContentReader& reader, ContentType type)
{
    Walk walk{reader, type, false, false, false, false, false, {}, {}};
    if (!walk.boxes(0, reader.size(), 0)) {
        if (walk.code == finding_code::blob_unreadable) return read_failure();
        const char* what = type == ContentType::Heif ? "the HEIF image" : "the media file";
        return ContentOutcome::damaged(walk.code,
                                       std::string(what) + ": " + walk.error_code_message);
    }
    if (type == ContentType::Heif && !walk.meta) {
        return ContentOutcome::damaged(finding_code::content_media_corrupt,
                                       "the HEIF image has no 'meta' box: it holds no image");
    }
    if (type == ContentType::IsoMedia && !walk.moov && !walk.moof) {
        return ContentOutcome::damaged(
            finding_code::content_media_truncated,
            "the media file has no 'moov' box (its index of frames): it was cut short before it, "
            "and will not play");
    }
    // An image whose pixels are in the 'meta' box's 'idat' has no 'mdat' and is sound. A movie
    // without one is taken as cut short: a reference movie (frames in other files) is all but
    // unknown in a backup, a fast-start file (moov first) truncated before its frames is not.
    if (!walk.mdat && walk.idat && type == ContentType::Heif) return ContentOutcome::sound();
    if (!walk.mdat) {
        return ContentOutcome::damaged(finding_code::content_media_truncated,
                                       type == ContentType::Heif
                                           ? "the HEIF image has no 'mdat' box (its pixels): it "
                                             "was cut short before it"
                                           : "the media file has no 'mdat' box (its frames): it "
                                             "was cut short before it");
    }
    return ContentOutcome::sound();
}

}  // namespace bkcheck::detail
