// How prune and repair show a plan (before --apply) and a finished run, in words or as JSON.
#pragma once

#include "cli.h"

#include "bkcheck/quarantine.h"
#include "json_writer.h"

#include <string>

namespace bkcheck::cli {

std::string render_plan_text(const Plan& plan, bool applying);
// Adds the plan's members to an open JSON object.
void write_plan_json(JsonWriter& json, const Plan& plan);
// "Applied run <id>: ... To put everything back: bkcheck undo <root> <id>"
std::string render_applied(const Plan& plan, const RunJournal& run);

}  // namespace bkcheck::cli
