// verify --seal: what became of the seal.
#include "bkcheck/path_text.h"
#include "bkcheck/report.h"
#include "text_format.h"

namespace bkcheck {

std::string render_not_sealed(const std::string& refusal)
{
    return "Not sealed: " + terminal_safe(refusal) + ".\n";
}

std::string render_sealed(const Seal& seal, const fs::path& seal_path, const fs::path& backup,
                          bool seal_file_named, Verdict verdict)
{
    // The command that checks the files later, exactly: with --seal-file when the seal is not in
    // its default place.
    std::string check_later =
        "bkcheck verify --against-seal " +
        (seal_file_named ? "--seal-file " + shell_quote(seal_path) + " " : std::string()) +
        shell_quote(backup);
    return "Sealed " + count_of(seal.entries.size(), "file", "files") +
           (seal.hash == SealHash::Sha256 ? " with SHA-256" : "") + " in " +
           terminal_safe(path_text(seal_path)) +
           (verdict == Verdict::Ok ? std::string()
                                   : " as it is (" + seal.verdict + ", with its findings)") +
           ": " + terminal_safe(check_later) + " checks them later.\n";
}

}  // namespace bkcheck
