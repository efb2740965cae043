// Fuzzes parse_seal, the reader of the seal file verify --against-seal trusts. Its closing line is
// the XXH3-128 of the text above it, which random mutation never matches, so each input is parsed
// twice: as is (the checksum check), and with that line recomputed (the body is everything above
// the input's last "end " line, or the whole input), so mutations reach the header and entry
// parsing. Invariants: whatever parses keeps the contract in seal.h (entries sorted and unique, no
// path that leaves the backup folder), and serializes to text that parses to the same seal and
// serializes to the same text again (serialize_seal is the parser's inverse, up to number spelling:
// "07" reads as 7).
#include "bkcheck/seal.h"
#include "bytes.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

bool same_seal(const bkcheck::Seal& a, const bkcheck::Seal& b)
{
    if (a.backup_name != b.backup_name || a.sealed_at != b.sealed_at ||
        a.entries.size() != b.entries.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.entries.size(); ++i) {
        if (a.entries[i].path != b.entries[i].path || a.entries[i].size != b.entries[i].size ||
            a.entries[i].hash != b.entries[i].hash) {
            return false;
        }
    }
    return true;
}

// Written independently of seal.cpp: the folder is opened at backup_dir / path later.
bool stays_inside(std::string_view path)
{
    if (path.empty() || path.front() == '/' || path.find('\0') != std::string_view::npos)
        return false;
    std::string component;
    for (char c : std::string(path) + "/") {
        if (c != '/') {
            component += c;
            continue;
        }
        if (component.empty() || component == "." || component == "..") return false;
        component.clear();
    }
    return true;
}

void check(std::string_view text)
{
    auto seal = bkcheck::parse_seal(text, "fuzz");
    if (!seal) return;
    for (std::size_t i = 0; i < seal->entries.size(); ++i) {
        if (!stays_inside(seal->entries[i].path)) std::abort();
        if (i > 0 && !(seal->entries[i - 1].path < seal->entries[i].path)) std::abort();
    }
    std::string written = bkcheck::serialize_seal(*seal);
    auto again = bkcheck::parse_seal(written, "rewritten");
    if (!again || !same_seal(*seal, *again) || bkcheck::serialize_seal(*again) != written)
        std::abort();
}

std::string with_closing_line(std::string_view input)
{
    std::size_t end_line = input.rfind("\nend ");
    std::string body(end_line == std::string_view::npos ? input : input.substr(0, end_line + 1));
    if (body.empty() || body.back() != '\n') body += '\n';
    bkcheck::Xxh128Hasher hasher;
    hasher.update(
        bkcheck::ByteView(reinterpret_cast<const std::uint8_t*>(body.data()), body.size()));
    bkcheck::Xxh128 hash = hasher.finish();
    return body + "end " + bkcheck::to_hex(bkcheck::ByteView(hash.data(), hash.size())) + "\n";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size > (1 << 16)) return 0;
    std::string_view input(reinterpret_cast<const char*>(data), size);
    check(input);
    check(with_closing_line(input));
    return 0;
}
