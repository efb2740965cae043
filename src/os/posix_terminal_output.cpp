#include "terminal_output.h"

#include <unistd.h>

namespace bkcheck {

bool prepare_terminal_output(StandardStream stream)
{
    return ::isatty(stream == StandardStream::Output ? STDOUT_FILENO : STDERR_FILENO) != 0;
}

}  // namespace bkcheck
