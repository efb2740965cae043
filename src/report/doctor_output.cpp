// doctor: the diagnoses, most likely cause first, in words and as JSON.
#include "bkcheck/doctor.h"
#include "bkcheck/report.h"
#include "in_use_json.h"
#include "text.h"

#include "bkcheck/path_text.h"
#include "json_writer.h"

#include <sstream>

namespace bkcheck {
namespace {

const char* severity_word(Severity severity)
{
    switch (severity) {
        case Severity::Error:
            return "problem";
        case Severity::Warning:
            return "warning";
        case Severity::Info:
            return "note";
    }
    return "note";
}

}  // namespace

std::string render_doctor_json(const DoctorReport& report)
{
    JsonWriter json;
    json.begin_object().key("schema_version").unsigned_number(1).key("roots").begin_array();
    for (const fs::path& root : report.roots) json.string(path_text(root));
    json.end_array().key("backups").begin_array();
    for (const fs::path& backup : report.backups) json.string(path_text(backup));
    json.end_array();
    write_backups_in_use_json(json, report.in_use);
    json.key("problems").boolean(report.problems()).key("diagnoses").begin_array();
    for (const Diagnosis& diagnosis : report.diagnoses) {
        json.begin_object()
            .key("code")
            .string(diagnosis.code)
            .key("severity")
            .string(severity_name(diagnosis.severity))
            .key("subject")
            .string(path_text(diagnosis.subject))
            .key("cause")
            .string(diagnosis.cause)
            .key("evidence")
            .string(diagnosis.evidence)
            .key("fix")
            .string(diagnosis.fix)
            .end_object();
    }
    json.end_array().end_object();
    return json.str();
}

std::string render_doctor_text(const DoctorReport& report, bool verbose, bool color)
{
    std::ostringstream out;
    out << "Looked at " << count_of(report.backups.size(), "backup", "backups") << " in "
        << count_of(report.roots.size(), "folder", "folders") << ".\n";
    // A state, not a diagnosis: shown without -v, and never counted as a problem.
    for (const auto& [backup, in_use] : report.in_use) {
        out << terminal_safe(path_text(backup)) << "\n  " << in_use_text(in_use) << "\n";
    }
    std::size_t shown = 0, notes = 0;
    for (const Diagnosis& diagnosis : report.diagnoses) {
        if (diagnosis.severity == Severity::Info && !verbose) {
            ++notes;
            continue;
        }
        ++shown;
        // Subject, evidence and fix name backups and quote their findings: each through
        // terminal_safe.
        out << "\n"
            << shown << ". "
            << paint_severity(severity_word(diagnosis.severity), diagnosis.severity, color) << " ["
            << diagnosis.code << "] " << terminal_safe(path_text(diagnosis.subject)) << "\n"
            << "   " << terminal_safe(diagnosis.cause) << "\n";
        if (!diagnosis.evidence.empty())
            out << "   seen: " << terminal_safe(diagnosis.evidence) << "\n";
        out << "   fix:  " << terminal_safe(diagnosis.fix) << "\n";
    }
    if (!report.problems() && !report.backups.empty()) {
        out << "\nNo problem found: backups here should succeed and restore.\n";
    } else if (!report.problems()) {
        out << "\nNo backup found: nothing was checked.\n";
    }
    if (notes > 0)
        out << "\n"
            << count_of(notes, "note", "notes")
            << " (advice, not problems): bkcheck doctor -v shows them.\n";
    return out.str();
}

}  // namespace bkcheck
