// Whether standard output or error is a terminal bkcheck may draw on (colour, the progress line's
// "\r\033[K"), and getting it ready for that.
#pragma once

namespace bkcheck {

enum class StandardStream { Output, Error };

// POSIX: isatty. Windows: a console (GetConsoleMode answers; a file, pipe or NUL does not) that
// takes virtual-terminal sequences once ENABLE_VIRTUAL_TERMINAL_PROCESSING is set (Windows 10 and
// later; an older console says no, and gets plain text), with its output code page set to UTF-8 so
// the names bkcheck prints arrive as written. False when redirected: no colour in a file.
bool prepare_terminal_output(StandardStream stream);

}  // namespace bkcheck
