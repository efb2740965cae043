// What a person (or a program) runs to close a finding. The catalogue (finding_codes.cpp) writes
// remedies with placeholders; here they get the real paths, so advice can be pasted as it is shown
// and a program can run `fix_argv` without parsing words. A password never goes into fix_argv: the
// command takes it from BKCHECK_PASSWORD, --password-file or the prompt, as every verb does.
#pragma once

#include "bkcheck/findings.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace bkcheck {

namespace fs = std::filesystem;

struct Remedy {
    std::string text;  // the remedy in words, every path in it real and quoted for a POSIX shell
    // {"bkcheck", "repair", "--apply", "/real/path"}: the command that closes the finding, or
    // nothing when no bkcheck command can (then `text` says what the person must do).
    std::optional<std::vector<std::string>> fix_argv;
};

// `finding`'s remedy for the backup at `backup` ({root} is its parent folder).
Remedy resolve_remedy(const Finding& finding, const fs::path& backup);

// The path as a shell word: bare when it is only safe characters, else in single quotes
// ("~/Library/Application Support" has a space).
std::string shell_quote(const fs::path& path);

}  // namespace bkcheck
