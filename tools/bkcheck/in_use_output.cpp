#include "in_use_output.h"

namespace bkcheck::cli {

void add_assume_finished_option(po::options_description& options)
{
    options.add_options()(
        "assume-finished",
        "treat every backup as finished even when it looks in use (new file times, e.g. a copy "
        "from another disk): --apply then changes it");
}

}  // namespace bkcheck::cli
