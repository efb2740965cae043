// Shell-style glob matching with the meaning POSIX fnmatch(pattern, text, 0) has in the C locale,
// written out so every platform (Windows has no fnmatch) filters records the same way.
#pragma once

#include <string_view>

namespace bkcheck {

// True when `text` matches `pattern`, byte by byte: `*` matches any run of bytes ('/' and a leading
// '.' included), `?` any one byte, `[...]` one byte of a set (ranges, `[:class:]`, `!` or `^` to
// negate; an unclosed `[` is a literal), and `\` makes the next byte literal (a trailing `\`
// matches nothing). Embedded NULs are ordinary bytes.
bool glob_matches(std::string_view pattern, std::string_view text);

}  // namespace bkcheck
