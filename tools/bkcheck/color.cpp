#include "color.h"

namespace bkcheck::cli {

bool out_has_color(const Context& context)
{
    return context.out_is_terminal && !context.no_color;
}

bool err_has_color(const Context& context)
{
    return context.err_is_terminal && !context.no_color;
}

}  // namespace bkcheck::cli
