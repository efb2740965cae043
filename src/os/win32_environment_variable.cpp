#include "environment_variable.h"
#include "win32_path.h"

#include <cstdlib>

namespace bkcheck {

std::optional<std::string> environment_variable(const char* name)
{
    const wchar_t* value = ::_wgetenv(detail::wide_from_utf8(name).c_str());
    if (value == nullptr) return std::nullopt;
    return utf8_from_utf16(value);
}

}  // namespace bkcheck
