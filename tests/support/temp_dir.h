// A fresh temporary folder per test, removed with everything in it at the end of the scope.
#pragma once

#include "make_backup/unique_temp_dir.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

namespace bkcheck::test {

class TempDir {
public:
    TempDir() : m_path(testgen::make_unique_temp_dir("bkcheck-test")) {}
    ~TempDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

inline void write_text(const std::filesystem::path& file, std::string_view text)
{
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
}

// The real fixtures of ../shared/fixtures/real, or an empty path when this checkout has none.
inline std::filesystem::path real_fixtures()
{
    std::filesystem::path dir = std::filesystem::path(BKCHECK_SHARED_DIR) / "fixtures" / "real";
    return std::filesystem::exists(dir) ? dir : std::filesystem::path();
}

}  // namespace bkcheck::test
