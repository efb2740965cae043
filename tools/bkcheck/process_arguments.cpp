#include "process_arguments.h"

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#include <windows.h>
// after windows.h, which it needs
#include <shellapi.h>

#include <cstdio>
#endif

namespace bkcheck::cli {

#ifdef _WIN32
namespace {

std::string utf8_of(const wchar_t* wide)
{
    int length = ::WideCharToMultiByte(CP_UTF8, 0, wide, -1, nullptr, 0, nullptr, nullptr);
    if (length <= 1) return {};
    std::string text(static_cast<std::size_t>(length - 1), '\0');
    ::WideCharToMultiByte(CP_UTF8, 0, wide, -1, text.data(), length, nullptr, nullptr);
    return text;
}

// "\\?\C:\x" as "C:\x" and "\\?\UNC\server\share" as "\\server\share": the long form a
// person may paste from another tool is the same path in the form bkcheck builds on (the OS layer
// gives every call the long form itself); taken as it is, std::filesystem reads "\\?" as a server.
std::string ordinary_form(std::string argument)
{
    if (argument.rfind("\\\\?\\UNC\\", 0) == 0) return "\\\\" + argument.substr(8);
    if (argument.rfind("\\\\?\\", 0) == 0) return argument.substr(4);
    return argument;
}

}  // namespace

std::vector<std::string> process_arguments(int argc, char** argv)
{
    int count = 0;
    wchar_t** wide = ::CommandLineToArgvW(::GetCommandLineW(), &count);
    if (wide == nullptr) return std::vector<std::string>(argv + 1, argv + argc);
    std::vector<std::string> arguments;
    for (int i = 1; i < count; ++i) arguments.push_back(ordinary_form(utf8_of(wide[i])));
    ::LocalFree(wide);
    return arguments;
}

void use_binary_standard_streams()
{
    ::_setmode(::_fileno(stdout), _O_BINARY);
    ::_setmode(::_fileno(stderr), _O_BINARY);
}

#else

std::vector<std::string> process_arguments(int argc, char** argv)
{
    return std::vector<std::string>(argv + 1, argv + argc);
}

void use_binary_standard_streams() {}

#endif

}  // namespace bkcheck::cli
