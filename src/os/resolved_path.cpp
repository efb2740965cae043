#include "resolved_path.h"

#ifdef _WIN32
#include "bkcheck/path_text.h"
#include "win32_path.h"
#endif

namespace bkcheck {
namespace fs = std::filesystem;
namespace {

#ifdef _WIN32
fs::path os_form(const fs::path& path)
{
    return fs::path(detail::wide_from_utf8(path_text(path)));
}
fs::path bkcheck_form(const fs::path& path)
{
    return fs::path(utf8_from_utf16(path.native()));
}
#else
const fs::path& os_form(const fs::path& path)
{
    return path;
}
fs::path bkcheck_form(fs::path path)
{
    return path;
}
#endif

}  // namespace

fs::path absolute_path(const fs::path& path, std::error_code& error)
{
    return bkcheck_form(fs::absolute(os_form(path), error));
}

fs::path weakly_canonical_path(const fs::path& path, std::error_code& error)
{
    return bkcheck_form(fs::weakly_canonical(os_form(path), error));
}

}  // namespace bkcheck
