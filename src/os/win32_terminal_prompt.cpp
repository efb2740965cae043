// terminal_prompt.h for Windows: the console itself (CONIN$ and CONOUT$, as /dev/tty), so a
// password is read even when stdin and stdout are redirected, with echo turned off by
// SetConsoleMode and read as UTF-16 (ReadConsoleW), so a password with any character arrives as its
// UTF-8.
#include "terminal_prompt.h"

#include "win32_path.h"

#include <windows.h>

namespace bkcheck {
namespace {

using detail::Handle;

Handle open_console(const wchar_t* name, DWORD access)
{
    return Handle(::CreateFileW(name, access, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                                OPEN_EXISTING, 0, nullptr));
}

void write_console(HANDLE console, const std::string& text)
{
    std::wstring wide = detail::wide_from_utf8(text);
    DWORD written = 0;
    // A failed write to the console only loses the prompt text; reading still works.
    ::WriteConsoleW(console, wide.data(), static_cast<DWORD>(wide.size()), &written, nullptr);
}

}  // namespace

TerminalAnswer ask_terminal_without_echo(const std::string& prompt)
{
    TerminalAnswer answer;
    Handle input = open_console(L"CONIN$", GENERIC_READ | GENERIC_WRITE);
    Handle output = open_console(L"CONOUT$", GENERIC_READ | GENERIC_WRITE);
    DWORD saved = 0;
    if (!input.valid() || !::GetConsoleMode(input.get(), &saved)) return answer;
    if (output.valid()) write_console(output.get(), prompt);
    // Line input (Enter ends it) and Ctrl-C handled by the handler, without echo.
    DWORD quiet = (saved | ENABLE_LINE_INPUT | ENABLE_PROCESSED_INPUT) & ~ENABLE_ECHO_INPUT;
    ::SetConsoleMode(input.get(), quiet);
    answer.outcome = TerminalAnswer::Outcome::Answered;
    std::wstring line;
    for (;;) {
        wchar_t buffer[64];
        DWORD got = 0;
        // Ctrl-C ends the read with nothing (or ERROR_OPERATION_ABORTED): not a password to try.
        if (!::ReadConsoleW(input.get(), buffer, 64, &got, nullptr) || got == 0) {
            answer.outcome = TerminalAnswer::Outcome::Interrupted;
            break;
        }
        line.append(buffer, got);
        if (line.find(L'\n') != std::wstring::npos || line.find(L'\r') != std::wstring::npos) break;
    }
    std::size_t end = line.find_first_of(L"\r\n");
    if (end != std::wstring::npos) line.resize(end);
    if (answer.outcome == TerminalAnswer::Outcome::Answered)
        answer.line = utf8_from_utf16(line);
    ::SecureZeroMemory(line.data(), line.size() * sizeof(wchar_t));
    ::SetConsoleMode(input.get(), saved);
    if (output.valid()) write_console(output.get(), "\n");
    return answer;
}

void tell_terminal(const std::string& text)
{
    Handle output = open_console(L"CONOUT$", GENERIC_READ | GENERIC_WRITE);
    if (output.valid()) write_console(output.get(), text);
}

}  // namespace bkcheck
