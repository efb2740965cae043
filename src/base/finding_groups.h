// Findings that belong together for the code that acts on them: one list, so verify's advice and
// repair's plan can never disagree on which findings one action answers.
#pragma once

#include "bkcheck/findings.h"

#include <algorithm>
#include <iterator>
#include <string_view>

namespace bkcheck {

// What a rebuilt (finished) Status.plist answers: the session did not finish, or Status.plist is
// missing or unreadable.
inline constexpr std::string_view k_status_codes[] = {finding_code::status_unfinished,
                                                      finding_code::status_plist_missing,
                                                      finding_code::status_plist_unreadable};

inline bool is_status_code(std::string_view code)
{
    return std::find(std::begin(k_status_codes), std::end(k_status_codes), code) !=
           std::end(k_status_codes);
}

}  // namespace bkcheck
