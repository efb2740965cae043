#include "color.h"

namespace bkcheck::cli {

bool out_has_color(const Context& context)
{
    return context.out_is_terminal && !context.no_color;
}

std::string paint(const std::string& text, Severity severity, bool color)
{
    if (!color) return text;
    switch (severity) {
    case Severity::Error: return "\033[31m" + text + "\033[0m";
    case Severity::Warning: return "\033[33m" + text + "\033[0m";
    case Severity::Info: return text;
    }
    return text;
}

}  // namespace bkcheck::cli
