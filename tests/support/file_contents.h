// A file's whole contents, for tests that compare what an operation wrote or left. Read through the
// stream buffer in one go: a byte-by-byte istreambuf_iterator copy made the sanitizer build's -O0
// test cases spend most of their time here.
#pragma once

#include "bytes.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace bkcheck::test {

// Empty when the file is missing or empty.
inline std::string read_text(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    std::ostringstream contents;
    if (in) contents << in.rdbuf();
    return std::move(contents).str();
}

inline Bytes read_bytes(const std::filesystem::path& file)
{
    std::string contents = read_text(file);
    return Bytes(contents.begin(), contents.end());
}

}  // namespace bkcheck::test
