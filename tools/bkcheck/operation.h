// The one OperationContext a verb hands to the long operation it runs (verify, repair, prune,
// doctor, extract, export, the seal check, apply): --jobs, the clock, the progress line and Ctrl-C,
// decided here for every verb.
#pragma once

#include "terminal_progress.h"
#include "verb.h"

#include "bkcheck/status.h"

namespace bkcheck::cli {

// Threads from --jobs (0, one per core, for a verb without it); now; progress on `terminal` when
// stderr is a terminal and the output is text (never with --json); cancelled by Ctrl-C.
OperationContext operation_context(const po::variables_map& values, TerminalProgress& terminal,
                                   const Context& context);

}  // namespace bkcheck::cli
