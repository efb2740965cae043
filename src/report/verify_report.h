// verify --report FILE: evidence a lab can keep beside a backup, as JSON Lines (README "Evidence
// for labs", schema there). One line per index entry, from verify's EvidenceRecorder (evidence.h):
//   {"type":"entry","file_id","domain","path",["domain_hex","path_hex" when not
//   UTF-8],"kind","size","stored_length","level","codes":[],
//    "sha256_stored","sha256_plain"}
// then one trailer line:
//   {"type":"trailer","report_version":1,"bkcheck_version","command_line":[],"started","ended",
//    "backup":{"path","encrypted","format"},"verdict","counts":{...as verify --json},
//    "findings":{"errors","warnings","info","by_code":{code:count}},
//    "index_files":{"Manifest.db":sha256|null,"Manifest.plist","Info.plist","Status.plist"}}
// A value not established is null: a digest of a blob that was not read to its end, a plaintext
// digest without the key or without valid padding, a stored_length of a blob not found. The file
// ends with the trailer, so a report cut short is seen to be.
#pragma once

#include "bkcheck/backup.h"
#include "bkcheck/file_system.h"
#include "bkcheck/findings.h"
#include "bkcheck/verifier.h"
#include "evidence.h"

#include <cstdint>
#include <string>
#include <vector>

namespace bkcheck {

struct VerifyReportRun {
    std::string bkcheck_version;
    std::vector<std::string> command_line;  // as typed; the value of --password is blanked here
    std::int64_t started = 0;               // unix seconds, UTC
    std::int64_t ended = 0;
};

// The command line with the value of --password (and --password=...) replaced by "(hidden)".
std::vector<std::string> command_line_without_password(const std::vector<std::string>& args);

std::string render_evidence_line(const EvidenceEntry& entry);
std::string render_report_trailer(const FileSystem& file_system, const Backup& backup,
                                  const VerifyResult& result, const FindingSink& sink,
                                  const VerifyReportRun& run);

// How a report FILE is claimed (write_output_file): readable by its owner only (it names every
// file of someone's phone), in no backup folder; an existing file is replaced only when it is an
// earlier report (it begins with {"type":"entry" or {"type":"trailer") or with `overwrite`.
OutputFileOptions report_file_options(bool overwrite);

// Renders every entry and the trailer and writes them to `path` atomically.
Status write_verify_report(WritableFileSystem& writer, const fs::path& path,
                           const FileSystem& file_system, const Backup& backup,
                           const std::vector<EvidenceEntry>& entries, const VerifyResult& result,
                           const FindingSink& sink, const VerifyReportRun& run, bool overwrite);

}  // namespace bkcheck
