// The words prune and repair use for a backup in use (backup.h), shared by the refusal of
// --apply (quarantine.h: in_use_refusal) and the notice printed with a plan.
#pragma once

#include <string>

namespace bkcheck {

// "wait until the backup has finished (and 10 minutes have passed since its last write), then run
// again; if you know it is finished (...), add --assume-finished"
const std::string& in_use_how_to_proceed();

}  // namespace bkcheck
