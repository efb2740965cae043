// Which name rules extract and export follow in OUT (--names native|portable).
#pragma once

#include "bkcheck/extract.h"

#include "output_path.h"
#include "portable_names.h"

namespace bkcheck {

// What the disk OUT is on does with names, found by trying: a probe file ".bkcheck-probe-<n>-AbÅ"
// is created in OUT, looked up as "-aBÅ" (case) and with Å decomposed (normalisation), listed (a
// disk that stores names as NFD lists the decomposed form), and removed; a second probe with ':',
// '*' and '?' in its name tells a disk that refuses Windows' characters (exFAT, FAT, NTFS with
// windows_names). An error when OUT cannot be written at all.
Result<NameRules> probe_name_rules(OutputTree& tree);

// The rules for `names`: the probed ones (native), or the strictest of all (portable, with what
// the probe says of how the disk stores names).
Result<NameRules> name_rules_for(OutputTree& tree, OutputNames names);

}  // namespace bkcheck
