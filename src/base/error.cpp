#include "bkcheck/status.h"

#include <cerrno>
#include <cstring>

namespace bkcheck {

const char* error_code_name(ErrorCode code)
{
    switch (code) {
        case ErrorCode::NotFound:
            return "not_found";
        case ErrorCode::Io:
            return "io";
        case ErrorCode::NotABackup:
            return "not_a_backup";
        case ErrorCode::Unsupported:
            return "unsupported";
        case ErrorCode::Corrupt:
            return "corrupt";
        case ErrorCode::WrongPassword:
            return "wrong_password";
        case ErrorCode::InvalidArgument:
            return "invalid_argument";
        case ErrorCode::InUse:
            return "in_use";
        case ErrorCode::Interrupted:
            return "interrupted";
        case ErrorCode::Internal:
            return "internal";
        case ErrorCode::LocalFault:
            return "local_fault";
    }
    return "internal";
}

std::string Error::describe() const
{
    return path.empty() ? message : path + ": " + message;
}

bool is_permission_error(const Error& error)
{
    // error_from_errno keeps the errno only as strerror's words (Error has no errno field).
    if (error.code != ErrorCode::Io) return false;
    for (int value : {EACCES, EPERM}) {
        std::string words = std::strerror(value);
        if (error.message.size() >= words.size() &&
            error.message.compare(error.message.size() - words.size(), words.size(), words) == 0) {
            return true;
        }
    }
    return false;
}

}  // namespace bkcheck
