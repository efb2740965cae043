// Colour for people at a terminal: red for errors, yellow for warnings. Only when the stream is a
// terminal and NO_COLOR (https://no-color.org) is unset; pipes and files get plain text.
#pragma once

#include "cli.h"

#include "bkcheck/findings.h"

#include <string>

namespace bkcheck::cli {

// Whether text for context.out may carry colour.
bool out_has_color(const Context& context);

// `text` in the colour of `severity` (errors red, warnings yellow, info plain) when `color`.
std::string paint(const std::string& text, Severity severity, bool color);

}  // namespace bkcheck::cli
