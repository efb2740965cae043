// Colour for people at a terminal (errors red, warnings yellow: bkcheck::paint_severity): only
// when the stream is a terminal and NO_COLOR (https://no-color.org) is unset; pipes and files get
// plain text.
#pragma once

#include "cli.h"

namespace bkcheck::cli {

// Whether text for context.out (context.err) may carry colour.
bool out_has_color(const Context& context);
bool err_has_color(const Context& context);

}  // namespace bkcheck::cli
