// The command line as UTF-8 strings, on every platform.
#pragma once

#include <string>
#include <vector>

namespace bkcheck::cli {

// The arguments after the program name. On Windows argv is in the ANSI code page, which cannot hold
// most names: they are read again from the UTF-16 command line and converted to UTF-8, the encoding
// bkcheck uses inside (the OS layer converts back at its seam); a path in the long form
// ("\\?\C:\x") is given in its ordinary form ("C:\x").
std::vector<std::string> process_arguments(int argc, char** argv);

// Windows: stdout and stderr in binary mode, so output is byte for byte what other platforms print
// ("\n", never "\r\n"): JSON, hash lists and reports compare and pipe the same everywhere. A no-op
// elsewhere.
void use_binary_standard_streams();

}  // namespace bkcheck::cli
