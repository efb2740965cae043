// Setting and clearing environment variables in tests, on POSIX and Windows alike.
#pragma once

#include <cstdlib>
#include <string>

namespace bkcheck::test {

inline void set_environment_variable(const std::string& name, const std::string& value)
{
#ifdef _WIN32
    ::_putenv_s(name.c_str(), value.c_str());
#else
    ::setenv(name.c_str(), value.c_str(), 1);
#endif
}

inline void unset_environment_variable(const std::string& name)
{
#ifdef _WIN32
    ::_putenv_s(name.c_str(), "");  // an empty value removes the variable on Windows
#else
    ::unsetenv(name.c_str());
#endif
}

}  // namespace bkcheck::test
