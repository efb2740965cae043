#include "glob_match.h"

#include <cctype>
#include <cstddef>
#include <optional>

namespace bkcheck {
namespace {

bool in_class(std::string_view name, unsigned char c)
{
    // The C locale's classes: <cctype> without setlocale, as bkcheck never calls it.
    if (name == "alnum") return std::isalnum(c) != 0;
    if (name == "alpha") return std::isalpha(c) != 0;
    if (name == "blank") return std::isblank(c) != 0;
    if (name == "cntrl") return std::iscntrl(c) != 0;
    if (name == "digit") return std::isdigit(c) != 0;
    if (name == "graph") return std::isgraph(c) != 0;
    if (name == "lower") return std::islower(c) != 0;
    if (name == "print") return std::isprint(c) != 0;
    if (name == "punct") return std::ispunct(c) != 0;
    if (name == "space") return std::isspace(c) != 0;
    if (name == "upper") return std::isupper(c) != 0;
    if (name == "xdigit") return std::isxdigit(c) != 0;
    return false;
}

struct BracketResult {
    bool matched = false;
    std::size_t end = 0;  // index in the pattern just past the closing ']'
};

// Matches `c` against the bracket expression starting at pattern[open] == '['. nullopt when the
// bracket is not closed (the '[' is then an ordinary byte). An unknown class matches no byte.
std::optional<BracketResult> match_bracket(std::string_view pattern, std::size_t open,
                                           unsigned char c)
{
    std::size_t i = open + 1;
    bool negate = false;
    if (i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^')) {
        negate = true;
        ++i;
    }
    bool matched = false;
    bool first = true;
    while (i < pattern.size()) {
        char p = pattern[i];
        if (p == ']' && !first) return BracketResult{matched != negate, i + 1};
        first = false;
        if (p == '[' && i + 1 < pattern.size() && pattern[i + 1] == ':') {
            std::size_t close = pattern.find(":]", i + 2);
            if (close == std::string_view::npos) return std::nullopt;
            if (in_class(pattern.substr(i + 2, close - i - 2), c)) matched = true;
            i = close + 2;
            continue;
        }
        unsigned char low = static_cast<unsigned char>(p);
        if (p == '\\') {
            if (i + 1 >= pattern.size()) return std::nullopt;
            low = static_cast<unsigned char>(pattern[++i]);
        }
        ++i;
        unsigned char high = low;
        // "a-z" is a range; a '-' just before the closing ']' is a literal '-'.
        if (i + 1 < pattern.size() && pattern[i] == '-' && pattern[i + 1] != ']') {
            std::size_t h = i + 1;
            if (pattern[h] == '\\') {
                if (h + 1 >= pattern.size()) return std::nullopt;
                ++h;
            }
            high = static_cast<unsigned char>(pattern[h]);
            i = h + 1;
        }
        if (low <= c && c <= high) matched = true;
    }
    return std::nullopt;
}

}  // namespace

bool glob_matches(std::string_view pattern, std::string_view text)
{
    std::size_t p = 0;
    std::size_t t = 0;
    // Where to resume after the last '*': its pattern position and the text it has swallowed up to.
    std::optional<std::size_t> star_p;
    std::size_t star_t = 0;
    while (true) {
        if (p < pattern.size()) {
            char pc = pattern[p];
            if (pc == '*') {
                while (p < pattern.size() && pattern[p] == '*') ++p;
                star_p = p;
                star_t = t;
                continue;
            }
            if (t < text.size()) {
                unsigned char tc = static_cast<unsigned char>(text[t]);
                if (pc == '?') {
                    ++p;
                    ++t;
                    continue;
                }
                if (pc == '[') {
                    if (std::optional<BracketResult> bracket = match_bracket(pattern, p, tc)) {
                        if (bracket->matched) {
                            p = bracket->end;
                            ++t;
                            continue;
                        }
                    } else if (tc == '[') {
                        ++p;
                        ++t;
                        continue;
                    }
                } else if (pc == '\\') {
                    if (p + 1 < pattern.size() &&
                        static_cast<unsigned char>(pattern[p + 1]) == tc) {
                        p += 2;
                        ++t;
                        continue;
                    }
                } else if (static_cast<unsigned char>(pc) == tc) {
                    ++p;
                    ++t;
                    continue;
                }
            }
        } else if (t == text.size()) {
            return true;
        }
        // Mismatch: let the last '*' swallow one more byte, or fail when there is none to retry.
        if (!star_p || star_t >= text.size()) return false;
        p = *star_p;
        t = ++star_t;
    }
}

}  // namespace bkcheck
