#include "process_arguments.h"

#ifdef _WIN32
#include "bytes.h"

#include <fcntl.h>
#include <io.h>
#include <windows.h>
// after windows.h, which it needs
#include <shellapi.h>

#include <cstdio>
#include <string_view>
#endif

namespace bkcheck::cli {

#ifdef _WIN32
namespace {

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
    for (int i = 1; i < count; ++i)
        arguments.push_back(ordinary_form(utf8_from_utf16(std::wstring_view(wide[i]))));
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
