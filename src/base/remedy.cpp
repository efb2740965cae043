// Placeholders of the finding catalogue filled in with real paths: quoted for a shell in the words,
// exact in the argument vector.
#include "bkcheck/findings.h"
#include "bkcheck/path_text.h"

#include <string_view>

namespace bkcheck {
namespace {

struct Placeholders {
    fs::path backup;
    fs::path root;
    fs::path entry;
};

// The value of `{name}`, or nothing for a word that is no placeholder.
const fs::path* value_of(std::string_view word, const Placeholders& values)
{
    if (word == "{backup}") return &values.backup;
    if (word == "{root}") return &values.root;
    if (word == "{entry}") return &values.entry;
    return nullptr;
}

std::string fill_text(std::string_view text, const Placeholders& values)
{
    std::string out;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t open = text.find('{', at);
        std::size_t close = open == std::string_view::npos ? open : text.find('}', open);
        const fs::path* value = close == std::string_view::npos
                                    ? nullptr
                                    : value_of(text.substr(open, close - open + 1), values);
        if (value == nullptr) {
            std::size_t end = open == std::string_view::npos ? text.size() : open + 1;
            out.append(text.substr(at, end - at));
            at = end;
            continue;
        }
        out.append(text.substr(at, open - at));
        out += shell_quote(*value);
        at = close + 1;
    }
    return out;
}

std::vector<std::string> fill_argv(std::string_view fix, const Placeholders& values)
{
    std::vector<std::string> argv{"bkcheck"};
    std::size_t at = 0;
    while (at < fix.size()) {
        std::size_t end = fix.find(' ', at);
        if (end == std::string_view::npos) end = fix.size();
        std::string_view word = fix.substr(at, end - at);
        if (!word.empty()) {
            const fs::path* value = value_of(word, values);
            argv.push_back(value != nullptr ? path_text(*value) : std::string(word));
        }
        at = end + 1;
    }
    return argv;
}

}  // namespace

Remedy resolve_remedy(const Finding& finding, const fs::path& backup)
{
    Placeholders values{backup, backup.parent_path(),
                        finding.path.empty() ? backup : backup / finding.path};
    Remedy remedy{fill_text(finding.remedy, values), std::nullopt};
    if (!finding.fix.empty()) remedy.fix_argv = fill_argv(finding.fix, values);
    return remedy;
}

std::string shell_quote(const fs::path& path)
{
    const std::string text = path_text(path);
    bool safe = !text.empty() && text.find_first_not_of(
                                     "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                     "0123456789/._-+,:@%") == std::string::npos;
    if (safe) return text;
#ifdef _WIN32
    // Backslashes before the closing quote are doubled: Windows reads `\"` as a quote character
    // (CommandLineToArgvW), so "C:\" would swallow its closing quote.
    std::size_t last = text.find_last_not_of('\\');
    std::size_t trailing = last == std::string::npos ? text.size() : text.size() - 1 - last;
    return "\"" + text + std::string(trailing, '\\') + "\"";
#else
    std::string quoted = "'";
    for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
#endif
}

}  // namespace bkcheck
