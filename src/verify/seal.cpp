// The seal file: XXH3-128 hashing, the text format, and where the file goes (seal.h).
#include "bkcheck/seal.h"
#include "bkcheck/path_text.h"
#include "bytes.h"
#include "crypto.h"

#include <xxhash.h>

#include <algorithm>
#include <charconv>

namespace bkcheck {
namespace {

constexpr std::string_view k_magic_v1 = "bkcheck-seal 1";
constexpr std::string_view k_magic = "bkcheck-seal 2";
constexpr std::string_view k_suffix = ".bkcheck-seal";
constexpr std::uint64_t k_max_seal_bytes = 1ull << 30;  // ~10M entries: far beyond any real backup

Bytes hash_of(std::string_view text, SealHash kind)
{
    SealHasher hasher(kind);
    hasher.update(ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
    return hasher.finish();
}

std::size_t hash_bytes(SealHash kind)
{
    return kind == SealHash::Sha256 ? 32 : 16;
}

std::optional<Bytes> parse_hash(std::string_view text, SealHash kind)
{
    if (text.size() != 2 * hash_bytes(kind)) return std::nullopt;
    auto bytes = from_hex(text);
    if (!bytes || bytes->size() != hash_bytes(kind)) return std::nullopt;
    return bytes;
}

template <typename Integer>
std::optional<Integer> parse_integer(std::string_view text)
{
    Integer value{};
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || text.empty())
        return std::nullopt;
    return value;
}

// A sealed path is checked later by opening backup_dir / path: it must not leave the folder.
bool is_safe_relative_path(std::string_view path)
{
    if (path.empty() || path.front() == '/' || path.find('\0') != std::string_view::npos)
        return false;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        std::string_view part = path.substr(start, end - start);
        if (part.empty() || part == "." || part == "..") return false;
        start = end + 1;
    }
    return true;
}

// Splits off the text up to the next space.
std::string_view take_word(std::string_view& line)
{
    std::size_t space = line.find(' ');
    std::string_view word = line.substr(0, space);
    line = space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
    return word;
}

}  // namespace

struct Xxh128Hasher::State {
    XXH3_state_t* xxh = XXH3_createState();
    ~State() { XXH3_freeState(xxh); }
};

Xxh128Hasher::Xxh128Hasher() : m_state(std::make_unique<State>())
{
    if (m_state->xxh == nullptr) throw std::bad_alloc();
    XXH3_128bits_reset(m_state->xxh);
}

Xxh128Hasher::~Xxh128Hasher() = default;
Xxh128Hasher::Xxh128Hasher(Xxh128Hasher&&) noexcept = default;
Xxh128Hasher& Xxh128Hasher::operator=(Xxh128Hasher&&) noexcept = default;

void Xxh128Hasher::update(ByteView bytes)
{
    XXH3_128bits_update(m_state->xxh, bytes.data(), bytes.size());
}

Xxh128 Xxh128Hasher::finish()
{
    XXH128_canonical_t canonical;
    XXH128_canonicalFromHash(&canonical, XXH3_128bits_digest(m_state->xxh));
    XXH3_128bits_reset(m_state->xxh);
    Xxh128 hash{};
    std::copy(std::begin(canonical.digest), std::end(canonical.digest), hash.begin());
    return hash;
}

const char* seal_hash_name(SealHash kind)
{
    return kind == SealHash::Sha256 ? "sha256" : "xxh3-128";
}

std::optional<SealHash> seal_hash_from_name(std::string_view name)
{
    if (name == "sha256") return SealHash::Sha256;
    if (name == "xxh3-128" || name == "xxh3") return SealHash::Xxh3_128;
    return std::nullopt;
}

struct SealHasher::State {
    SealHash kind;
    Xxh128Hasher xxh;
    Sha256Hasher sha256;
};

SealHasher::SealHasher(SealHash kind) : m_state(std::make_unique<State>())
{
    m_state->kind = kind;
}

SealHasher::~SealHasher() = default;
SealHasher::SealHasher(SealHasher&&) noexcept = default;
SealHasher& SealHasher::operator=(SealHasher&&) noexcept = default;

void SealHasher::use(SealHash kind)
{
    m_state->kind = kind;
}

void SealHasher::update(ByteView bytes)
{
    if (m_state->kind == SealHash::Sha256)
        m_state->sha256.update(bytes);
    else
        m_state->xxh.update(bytes);
}

Bytes SealHasher::finish()
{
    if (m_state->kind == SealHash::Sha256) {
        Sha256Digest digest = m_state->sha256.finish();
        return Bytes(digest.begin(), digest.end());
    }
    Xxh128 hash = m_state->xxh.finish();
    return Bytes(hash.begin(), hash.end());
}

void SealRecorder::add(std::string path, std::uint64_t size, Bytes hash)
{
    std::lock_guard lock(m_mutex);
    m_entries.push_back(SealEntry{std::move(path), size, std::move(hash)});
}

std::vector<std::string> SealRecorder::paths()
{
    std::lock_guard lock(m_mutex);
    std::vector<std::string> paths;
    paths.reserve(m_entries.size());
    for (const SealEntry& entry : m_entries) paths.push_back(entry.path);
    return paths;
}

Seal SealRecorder::take(std::string backup_name, std::int64_t sealed_at)
{
    std::lock_guard lock(m_mutex);
    Seal seal;
    seal.backup_name = std::move(backup_name);
    seal.sealed_at = sealed_at;
    seal.entries = std::move(m_entries);
    seal.hash = m_kind;
    m_entries.clear();
    std::sort(seal.entries.begin(), seal.entries.end(),
              [](const SealEntry& a, const SealEntry& b) { return a.path < b.path; });
    // A path is sealed once; verify reads each blob once, so a repeat could only be a caller's bug.
    seal.entries.erase(
        std::unique(seal.entries.begin(), seal.entries.end(),
                    [](const SealEntry& a, const SealEntry& b) { return a.path == b.path; }),
        seal.entries.end());
    return seal;
}

std::string serialize_seal(const Seal& seal)
{
    std::string text;
    text.reserve(64 + seal.entries.size() * 96);
    text.append(k_magic)
        .append("\nbackup ")
        .append(seal.backup_name)
        .append("\nsealed ")
        .append(std::to_string(seal.sealed_at))
        .append("\n");
    text.append("hash ").append(seal_hash_name(seal.hash)).append("\n");
    text.append("verdict ").append(seal.verdict.empty() ? "ok" : seal.verdict).append("\n");
    for (const auto& [code, count] : seal.findings)
        text.append("finding ").append(code).append(" ").append(std::to_string(count)).append("\n");
    for (const SealEntry& entry : seal.entries) {
        text.append(to_hex(entry.hash))
            .append(" ")
            .append(std::to_string(entry.size))
            .append(" ")
            .append(entry.path)
            .append("\n");
    }
    std::string closing = to_hex(hash_of(text, seal.hash));  // of everything above "end"
    text.append("end ").append(closing).append("\n");
    return text;
}

Result<Seal> parse_seal(std::string_view text, const std::string& source)
{
    auto corrupt = [&](std::size_t line_number, const std::string& what) {
        return make_error(
            ErrorCode::Corrupt, source,
            "not a usable seal file (line " + std::to_string(line_number) + "): " + what);
    };
    std::size_t end_line = text.rfind("\nend ");
    if (end_line == std::string_view::npos || text.empty() || text.back() != '\n') {
        return corrupt(1, "it has no closing \"end\" line: it was cut short or is not a seal");
    }
    std::string_view body = text.substr(0, end_line + 1);
    std::string_view closing = text.substr(end_line + 5, text.size() - end_line - 6);
    // The closing line's length says which hash the seal uses; the "hash" line must agree.
    SealHash kind =
        closing.size() == 2 * hash_bytes(SealHash::Sha256) ? SealHash::Sha256 : SealHash::Xxh3_128;
    auto recorded = parse_hash(closing, kind);
    if (!recorded || *recorded != hash_of(body, kind)) {
        return corrupt(
            static_cast<std::size_t>(std::count(body.begin(), body.end(), '\n')) + 1,
            "its closing checksum does not match its contents: it was edited or damaged");
    }

    Seal seal;
    seal.hash = kind;
    bool version_2 = false;
    std::size_t line_number = 0;
    while (!body.empty()) {
        std::size_t newline = body.find('\n');
        std::string_view line = body.substr(0, newline);
        body.remove_prefix(newline + 1);
        ++line_number;
        if (line_number == 1) {
            if (line != k_magic && line != k_magic_v1)
                return corrupt(1, "it does not start with \"bkcheck-seal 2\" (or 1)");
            version_2 = line == k_magic;
            if (!version_2 && kind != SealHash::Xxh3_128)
                return corrupt(1, "a version 1 seal is always XXH3-128");
        } else if (line_number == 2) {
            if (take_word(line) != "backup") return corrupt(2, "expected \"backup <folder name>\"");
            seal.backup_name = std::string(line);
        } else if (line_number == 3) {
            auto sealed_at =
                take_word(line) == "sealed" ? parse_integer<std::int64_t>(line) : std::nullopt;
            if (!sealed_at) return corrupt(3, "expected \"sealed <unix seconds>\"");
            seal.sealed_at = *sealed_at;
        } else if (version_2 && line_number == 4) {
            auto named = take_word(line) == "hash" ? seal_hash_from_name(line) : std::nullopt;
            if (!named || *named != kind)
                return corrupt(4, "expected \"hash xxh3-128\" or \"hash sha256\", as its end line");
        } else if (version_2 && line_number == 5) {
            if (take_word(line) != "verdict" || line.empty())
                return corrupt(5, "expected \"verdict <verdict>\"");
            seal.verdict = std::string(line);
        } else if (version_2 && seal.entries.empty() && line.rfind("finding ", 0) == 0) {
            take_word(line);
            std::string code(take_word(line));
            auto count = parse_integer<std::size_t>(line);
            if (code.empty() || !count || !seal.findings.emplace(code, *count).second)
                return corrupt(line_number, "expected \"finding <code> <count>\", once per code");
        } else {
            auto hash = parse_hash(take_word(line), kind);
            auto size = parse_integer<std::uint64_t>(take_word(line));
            if (!hash || !size || !is_safe_relative_path(line)) {
                return corrupt(line_number, "expected \"<hash> <size> <path inside the backup>\"");
            }
            if (!seal.entries.empty() && seal.entries.back().path >= line) {
                return corrupt(line_number, "entries are not sorted or repeat a path");
            }
            seal.entries.push_back(SealEntry{std::string(line), *size, *hash});
        }
    }
    if (line_number < (version_2 ? 5u : 3u))
        return corrupt(line_number + 1, "the header is incomplete");
    return seal;
}

fs::path default_seal_path(const fs::path& backup_dir)
{
    fs::path dir = backup_dir.lexically_normal();
    if (!dir.has_filename()) dir = dir.parent_path();  // "…/UDID/" names the folder too
    return dir.parent_path() / (path_text(dir.filename()) + std::string(k_suffix));
}

bool looks_like_seal_file(ByteView head, std::uint64_t size)
{
    std::string_view text(reinterpret_cast<const char*>(head.data()), head.size());
    for (std::string_view magic : {k_magic, k_magic_v1}) {
        if (size > magic.size() && text.starts_with(magic) && text.size() > magic.size() &&
            text[magic.size()] == '\n')
            return true;
    }
    return false;
}

OutputFileOptions seal_file_options(bool overwrite)
{
    return OutputFileOptions{FileAccess::Everyone, overwrite, looks_like_seal_file};
}

Result<Seal> read_seal(const FileSystem& file_system, const fs::path& seal_path)
{
    auto bytes = file_system.read_file(seal_path, k_max_seal_bytes);
    if (!bytes) return std::move(bytes).error();
    return parse_seal(std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()),
                      path_text(seal_path));
}

Status write_seal(WritableFileSystem& file_system, const fs::path& seal_path, const Seal& seal,
                  bool overwrite)
{
    std::string text = serialize_seal(seal);
    return file_system.write_output_file(
        seal_path, ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()),
        seal_file_options(overwrite));
}

}  // namespace bkcheck
