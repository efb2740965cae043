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

// Keeps one OUT to one set of naming rules. A record's file is told from another's by its name
// alone, and names are only unambiguous under one set of rules: a record literally named
// "CO%4E.txt" written as it is (native, Linux) has the name a portable run gives "CON.txt", which
// would then take that file for its own and, with --overwrite, replace it. The rules are recorded
// as an empty marker file in OUT, ".bkcheck-names-<rules>" (plain, or the letters of c: case, n:
// normalisation, w: Windows names); an OUT holding a marker of other rules is refused
// (InvalidArgument, naming both), and one without is given ours.
Status claim_naming_rules(OutputTree& tree, const NameRules& rules, OutputNames names);

}  // namespace bkcheck
