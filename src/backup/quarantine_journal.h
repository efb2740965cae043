// The journal file of a quarantine run (journal.plist), as bytes: written by the change layer
// before a run's first rename, read back by undo, list and the unfinished-run check.
#pragma once

#include "bkcheck/quarantine_runs.h"

#include <string>

namespace bkcheck {

Bytes serialize_journal(const RunJournal& journal);
// Corrupt, naming the problem, when the bytes are not a journal this version wrote.
Result<RunJournal> parse_journal(ByteView bytes, const std::string& path);

}  // namespace bkcheck
