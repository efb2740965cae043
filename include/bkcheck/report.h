// The output of verify, for people and for programs. In the library so the JSON shape is tested
// and stable (style.md §9); the CLI only chooses which one to print.
#pragma once

#include "bkcheck/backup.h"
#include "bkcheck/findings.h"
#include "bkcheck/verifier.h"

#include <string>

namespace bkcheck {

// {backup:{path,udid,device_name,product_version,encrypted,format}, verdict,
//  counts:{files,directories,symlinks,blobs_checked,bytes_read}, findings:[{code,severity,file_id,
//  domain,path,message,remedy}], omitted:{code:count}, summary:{errors,warnings}}
std::string render_verify_json(const Backup& backup, const VerifyResult& result, const FindingSink& sink);

// Findings grouped by code (errors first), counts, and a closing paragraph on what to do.
std::string render_verify_text(const Backup& backup, const VerifyResult& result, const FindingSink& sink);

}  // namespace bkcheck
