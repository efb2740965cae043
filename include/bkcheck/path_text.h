// The text of a path as bkcheck writes it (messages, JSON, journals, commands to run): UTF-8 on
// every platform.
//
// Why not path_text(path): on Windows a std::filesystem::path holds UTF-16, and libstdc++ (MinGW)
// builds a path from a std::string by widening each byte on its own (the C locale), while
// path_text(path) encodes the UTF-16 as UTF-8. So UTF-8 text -> path -> string() double-encodes
// every character past ASCII ("José" comes back "JosÃ©"). bkcheck builds its paths from UTF-8 text
// (the byte-wide form; the OS layer turns it into real UTF-16 at the Win32 calls) and reads them
// back with path_text, which also takes a path the OS made (real UTF-16) to UTF-8. On POSIX it is
// path_text(path).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include "bkcheck/path_text.h"

namespace bkcheck {

std::string path_text(const std::filesystem::path& path);
// path_text with '/' between the parts on every platform (journals and JSON keys, read back on
// any).
std::string generic_path_text(const std::filesystem::path& path);

// The Windows rule of path_text, on any platform (so it is tested everywhere): `units` are UTF-16
// code units, one per wchar_t. When every unit is a byte and the bytes are UTF-8, they are the
// byte-wide form and are the text; otherwise the units are real UTF-16 and are encoded as UTF-8,
// an unpaired surrogate as U+FFFD.
std::string text_of_wide_path(std::wstring_view units);

}  // namespace bkcheck
