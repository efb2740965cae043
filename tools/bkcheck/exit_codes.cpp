#include "exit_codes.h"

namespace bkcheck::cli {

const char* exit_code_table()
{
    return "Exit status:\n"
           "  0    ok: no problems found\n"
           "  1    problems found in the backup (listed)\n"
           "  2    usage error\n"
           "  3    not a backup, or an unsupported format\n"
           "  4    wrong password (a damaged keybag is 1; no password at all is 2 or 6)\n"
           "  5    I/O or permission error, the backup is in use, or stdout cannot be written\n"
           "  6    unchecked: nothing wrong found, but the index or some file could not be "
           "examined\n"
           "       (precedence: 1 when any damage was found; else 5; else 6; else 0)\n"
           "  70   internal error (a bug: please report it)\n"
           "  130  interrupted\n";
}

}  // namespace bkcheck::cli
