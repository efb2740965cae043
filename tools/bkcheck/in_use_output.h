// --assume-finished, for the verbs that change backups: how they treat a backup in use is the
// library's (quarantine.h: apply_blockers, in_use_refusal; report.h: render_in_use_notice).
#pragma once

#include "verb.h"

namespace bkcheck::cli {

void add_assume_finished_option(po::options_description& options);

}  // namespace bkcheck::cli
