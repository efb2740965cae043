#include "terminal_prompt.h"

#include <cerrno>

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

namespace bkcheck {

TerminalAnswer ask_terminal_without_echo(const std::string& prompt)
{
    TerminalAnswer answer;
    int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (fd < 0) return answer;
    termios saved{};
    if (::tcgetattr(fd, &saved) != 0) {
        ::close(fd);
        return answer;
    }
    termios quiet = saved;
    quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
    quiet.c_lflag |= ICANON;
    // A failed write to the terminal only loses the prompt text; reading still works.
    [[maybe_unused]] auto shown = ::write(fd, prompt.data(), prompt.size());
    ::tcsetattr(fd, TCSAFLUSH, &quiet);
    answer.outcome = TerminalAnswer::Outcome::Answered;
    char c = 0;
    for (;;) {
        ssize_t got = ::read(fd, &c, 1);
        if (got == 1 && c != '\n') {
            answer.line.push_back(c);
            continue;
        }
        // The interrupt handler is installed without SA_RESTART, so Ctrl-C ends the read with
        // EINTR: what was typed so far is not a password to try.
        if (got < 0 && errno == EINTR) {
            answer.outcome = TerminalAnswer::Outcome::Interrupted;
            answer.line.assign(answer.line.size(), '\0');
            answer.line.clear();
        }
        break;
    }
    ::tcsetattr(fd, TCSAFLUSH, &saved);
    [[maybe_unused]] auto newline = ::write(fd, "\n", 1);
    ::close(fd);
    return answer;
}

void tell_terminal(const std::string& text)
{
    int fd = ::open("/dev/tty", O_WRONLY | O_CLOEXEC);
    if (fd < 0) return;
    [[maybe_unused]] auto written = ::write(fd, text.data(), text.size());
    ::close(fd);
}

}  // namespace bkcheck
