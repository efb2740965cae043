// A path as UTF-8 bytes, the encoding SQLite takes for file names on every platform (path::c_str()
// is UTF-16 on Windows).
#pragma once

#include <filesystem>
#include <string>

namespace bkcheck::test {

inline std::string utf8_path(const std::filesystem::path& path)
{
    std::u8string utf8 = path.u8string();
    return std::string(utf8.begin(), utf8.end());
}

}  // namespace bkcheck::test
