// A fresh temporary folder per test, removed with everything in it at the end of the scope.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <system_error>

namespace bkcheck::test {

class TempDir {
public:
    TempDir()
    {
#ifdef _WIN32
        // No mkdtemp: a random name, created exclusively (create_directory says false when taken).
        std::random_device random;
        for (int attempt = 0; attempt < 100 && m_path.empty(); ++attempt) {
            std::filesystem::path candidate = std::filesystem::temp_directory_path() /
                                              ("bkcheck-test-" + std::to_string(random()));
            if (std::filesystem::create_directory(candidate)) m_path = candidate;
        }
#else
        std::string pattern =
            (std::filesystem::temp_directory_path() / "bkcheck-test-XXXXXX").string();
        m_path = ::mkdtemp(pattern.data());
#endif
    }
    ~TempDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const
    {
        return m_path;
    }

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
