// A new, private folder under the system temp directory (mkdtemp's job, which Windows lacks), for
// the generator's scratch files and the tests' TempDir.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#ifdef _WIN32
#include <random>
#else
#include <cstdlib>
#endif

namespace bkcheck::testgen {

// <temp>/<prefix>-XXXXXX made for this caller alone; an empty path when none could be made.
inline std::filesystem::path make_unique_temp_dir(std::string_view prefix)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path temp = fs::temp_directory_path(ec);
    if (ec) return {};
#ifdef _WIN32
    // create_directory fails when the name exists, so a name is never shared: retry with another.
    std::random_device seed;
    std::mt19937_64 random(seed());
    constexpr std::string_view k_letters = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (int attempt = 0; attempt < 100; ++attempt) {
        std::string name(prefix);
        name += '-';
        for (int i = 0; i < 8; ++i) name += k_letters[random() % k_letters.size()];
        if (fs::create_directory(temp / name, ec)) return temp / name;
        if (ec) return {};
    }
    return {};
#else
    std::string pattern = (temp / (std::string(prefix) + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) return {};
    return pattern;
#endif
}

}  // namespace bkcheck::testgen
