// An environment variable's value as UTF-8, whatever the OS keeps: on Windows the ANSI copy that
// getenv reads loses every character outside the code page (a password, a user name in
// %APPDATA%), so the UTF-16 one (_wgetenv) is read and converted.
#pragma once

#include <optional>
#include <string>

namespace bkcheck {

// nullopt when the variable is not set.
std::optional<std::string> environment_variable(const char* name);

}  // namespace bkcheck
