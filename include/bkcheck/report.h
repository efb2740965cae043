// The output of verify, for people and for programs. In the library so the JSON shape is tested
// and stable (style.md §9); the CLI only chooses which one to print.
#pragma once

#include "bkcheck/backup.h"
#include "bkcheck/findings.h"
#include "bkcheck/seal.h"
#include "bkcheck/verifier.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace bkcheck {

// {backup:{path,udid,device_name,product_version,encrypted,format}, verdict,
//  counts:{files,directories,symlinks,blobs_checked,bytes_read}, findings:[{code,severity,file_id,
//  domain,path,message,remedy}], omitted:{code:count}, summary:{errors,warnings}}
std::string render_verify_json(const Backup& backup, const VerifyResult& result, const FindingSink& sink);

// "1 file", "3 files": the count with the noun in the form it takes (every text report uses it).
std::string count_of(std::uint64_t count, std::string_view one, std::string_view many);

// `text` between ANSI escapes for `severity` when `color`: errors red, warnings yellow, info plain.
// Callers decide `color` (the CLI: a terminal, and NO_COLOR unset); the JSON never has any.
std::string paint_severity(std::string_view text, Severity severity, bool color);

// Findings grouped by code (errors first), counts, and a closing paragraph on what to do. With
// `color`, each finding heading's severity word is painted.
std::string render_verify_text(const Backup& backup, const VerifyResult& result, const FindingSink& sink,
                               bool color = false);

// The outcome of verify --against-seal: {backup:{...}, seal:{path,sealed_at,files},
// verdict:"unchanged"|"changed", counts:{files_checked,bytes_read,changed,missing,unsealed}, findings,
// omitted, summary} — findings/omitted/summary shaped as in verify's JSON.
std::string render_seal_check_json(const Backup& backup, const fs::path& seal_path, const Seal& seal,
                                   const SealCheckResult& result, const FindingSink& sink);
std::string render_seal_check_text(const Backup& backup, const fs::path& seal_path, const Seal& seal,
                                   const SealCheckResult& result, const FindingSink& sink, bool color = false);

}  // namespace bkcheck
