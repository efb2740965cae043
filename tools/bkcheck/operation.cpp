#include "operation.h"

#include "backups_root.h"
#include "interrupt.h"
#include "shared_options.h"

namespace bkcheck::cli {

OperationContext operation_context(const po::variables_map& values, TerminalProgress& terminal,
                                   const Context& context)
{
    OperationContext operation;
    operation.threads = values.count("jobs") ? jobs_from(values) : 0;
    operation.now = now_seconds();
    operation.progress =
        &chosen_progress(terminal, context.err_is_terminal, json_requested(values));
    operation.cancel = &interrupt_flag();
    return operation;
}

}  // namespace bkcheck::cli
