// std::filesystem's answers that come from the OS (the current folder, resolved links), in the form
// bkcheck builds its paths in (bkcheck/path_text.h). On Windows the OS answers in real UTF-16 while
// bkcheck's paths hold UTF-8 text widened byte by byte; a path mixing the two prints and opens
// wrongly past ASCII (a user folder "C:\Users\José" joined with a name bkcheck appended). These
// functions hand the OS real UTF-16 and give back the UTF-8 form. Elsewhere they are the plain
// calls.
#pragma once

#include <filesystem>
#include <system_error>

namespace bkcheck {

std::filesystem::path absolute_path(const std::filesystem::path& path, std::error_code& error);
std::filesystem::path weakly_canonical_path(const std::filesystem::path& path,
                                            std::error_code& error);

}  // namespace bkcheck
