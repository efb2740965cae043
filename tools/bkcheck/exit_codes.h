// The one table of exit statuses (style.md §10), shown by --help and documented in the README.
#pragma once

namespace bkcheck::cli {

enum ExitCode : int {
    k_exit_ok = 0,              // success; verify found no error-severity findings
    k_exit_problems = 1,        // the backup has problems (findings listed)
    k_exit_usage = 2,           // usage error
    k_exit_not_a_backup = 3,    // not a backup, or an unsupported format/version
    k_exit_wrong_password = 4,  // wrong password, or the backup cannot be unlocked
    k_exit_io = 5,              // I/O or permission error
    k_exit_unchecked = 6,       // nothing wrong found, but the index or some file was not examined
    k_exit_internal = 70,       // internal error (a bug): please report
    k_exit_interrupted = 130,   // interrupted by the user
};

// The one precedence for every verb that judges a backup: 1 when any damage was found, whatever
// else; otherwise 5 when something could not be read because of permissions or I/O; otherwise 6
// when something was not examined; otherwise 0.
inline int judged_exit(bool damage, bool io_fault, bool unexamined)
{
    return damage       ? k_exit_problems
           : io_fault   ? k_exit_io
           : unexamined ? k_exit_unchecked
                        : k_exit_ok;
}

// The table as text, for --help.
const char* exit_code_table();

}  // namespace bkcheck::cli
