// Whether a test can create symbolic links here. POSIX can; Windows only in Developer Mode or as
// an administrator, and MinGW's libstdc++ under Wine not at all (ENOSYS). A test that needs links
// returns early with a warning where none can be made: the link checks run on every POSIX build.
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <system_error>

namespace bkcheck::test {

inline bool symlinks_can_be_made()
{
    static const bool can = [] {
        std::error_code error;
        auto probe = std::filesystem::temp_directory_path(error) / "bkcheck-symlink-probe";
        std::filesystem::remove(probe, error);
        std::filesystem::create_symlink("target", probe, error);
        bool made = !error;
        std::filesystem::remove(probe, error);
        return made;
    }();
    return can;
}

}  // namespace bkcheck::test

#define BKCHECK_SKIP_WITHOUT_SYMLINKS()                                      \
    do {                                                                     \
        if (!::bkcheck::test::symlinks_can_be_made()) {                      \
            WARN("skipped: this system lets no test create symbolic links"); \
            return;                                                          \
        }                                                                    \
    } while (false)
