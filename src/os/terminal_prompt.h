// Asking the person at the terminal for a secret: the controlling terminal itself (/dev/tty), so a
// password is read even when stdin and stdout are redirected, and never echoed.
#pragma once

#include <string>

namespace bkcheck {

struct TerminalAnswer {
    enum class Outcome {
        Answered,     // `line` holds what was typed, without the newline
        NoTerminal,   // no controlling terminal: nobody to ask
        Interrupted,  // Ctrl-C (or another signal) while waiting: nothing was typed to use
    };
    Outcome outcome = Outcome::NoTerminal;
    std::string line;
};

// Writes `prompt` to the terminal, reads one line with echo off, and restores the terminal.
TerminalAnswer ask_terminal_without_echo(const std::string& prompt);

// Writes `text` to the terminal (a line after a wrong answer); nothing when there is none.
void tell_terminal(const std::string& text);

}  // namespace bkcheck
