// The `counts` object of verify's JSON, written once for both documents that carry it: verify
// --json and the trailer of verify --report (which lacked the --deep counts while it had a copy).
#pragma once

#include "bkcheck/verifier.h"
#include "json_writer.h"

namespace bkcheck {

void write_verify_counts_json(JsonWriter& json, const VerifyCounts& counts);

}  // namespace bkcheck
