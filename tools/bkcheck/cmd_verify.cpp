#include "verb.h"
namespace bkcheck::cli {
int run_verify(const std::vector<std::string>&, Context&) { return k_exit_internal; }
}
